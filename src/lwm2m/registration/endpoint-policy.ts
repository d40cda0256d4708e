/** Which endpoint names may register (`LWM2M_ENDPOINT_ALLOW` / `LWM2M_ENDPOINT_DENY`, compiled by the config). */
export type EndpointPolicy = (endpoint: string) => boolean;

/** Empty allow list = every name is allowed; a deny match always refuses. */
export function endpointPolicy(allowed: readonly RegExp[], denied: readonly RegExp[]): EndpointPolicy {
  return (endpoint) => (allowed.length === 0 || allowed.some((re) => re.test(endpoint))) && !denied.some((re) => re.test(endpoint));
}
