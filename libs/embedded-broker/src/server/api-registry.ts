import { ApiDefinition } from './api-definition';

/** The APIs a broker serves, by key; ApiVersions advertises exactly these ranges. */
export class ApiRegistry {
  private readonly apis = new Map<number, ApiDefinition>();

  constructor(defs: readonly ApiDefinition[]) {
    for (const d of defs) this.apis.set(d.apiKey, d);
  }

  get(apiKey: number): ApiDefinition | undefined {
    return this.apis.get(apiKey);
  }

  all(): ApiDefinition[] {
    return [...this.apis.values()].sort((a, b) => a.apiKey - b.apiKey);
  }
}
