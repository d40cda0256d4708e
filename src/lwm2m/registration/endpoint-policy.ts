/** Which endpoint names may register (`LWM2M_ENDPOINT_ALLOW` / `LWM2M_ENDPOINT_DENY` regular expressions). */
export type EndpointPolicy = (endpoint: string) => boolean;

function compile(patterns: readonly string[], setting: string): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(pattern, 'u');
    } catch (err) {
      throw new Error(`${setting}: invalid regular expression "${pattern}": ${(err as Error).message}`);
    }
  });
}

/** Empty allow list = every name is allowed; a deny match always refuses. */
export function endpointPolicy(allow: readonly string[], deny: readonly string[]): EndpointPolicy {
  const allowed = compile(allow, 'LWM2M_ENDPOINT_ALLOW');
  const denied = compile(deny, 'LWM2M_ENDPOINT_DENY');
  return (endpoint) => (allowed.length === 0 || allowed.some((re) => re.test(endpoint))) && !denied.some((re) => re.test(endpoint));
}
