/** What a reliable-handler parameter decorator injects (stored in ROUTE_ARGS_METADATA). */
export enum KafkaParamType {
  MESSAGES = 0,
  CONTEXT = 1,
  TX_MANAGER = 2,
}
