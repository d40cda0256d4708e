import { Lwm2mRequestError } from './request-error.js';

/** Uri-Query options (`name=value` or bare `name`) of an LwM2M request. */
export type QueryParams = Map<string, string | true>;

function bad(message: string): Lwm2mRequestError {
  return new Lwm2mRequestError('4.00', message);
}

/** Parses the query; a repeated or unknown parameter is a 4.00. */
export function parseQuery(query: readonly string[], allowed: readonly string[]): QueryParams {
  const params: QueryParams = new Map();
  for (const item of query) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (!allowed.includes(name)) throw bad(`unknown parameter "${name}"`);
    if (params.has(name)) throw bad(`parameter "${name}" given twice`);
    params.set(name, eq < 0 ? true : item.slice(eq + 1));
  }
  return params;
}

/** The value of a parameter that must have one (`ep=`), undefined when absent. */
export function queryValue(params: QueryParams, name: string): string | undefined {
  const value = params.get(name);
  if (value === true) throw bad(`parameter "${name}" needs a value`);
  return value;
}
