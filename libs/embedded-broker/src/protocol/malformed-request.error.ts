/** A request frame that does not parse; the connection that sent it is closed, the broker keeps running. */
export class MalformedRequestError extends Error {
  constructor(readonly detail: string) {
    super(`Malformed request: ${detail}`);
    this.name = 'MalformedRequestError';
  }
}
