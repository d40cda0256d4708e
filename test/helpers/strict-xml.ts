import assert from 'node:assert/strict';
import { SaxesParser } from 'saxes';

/** Element names (with prefix) and the namespace each resolved to, in document order. */
export interface StrictXml {
  elements: Array<{ name: string; uri: string }>;
}

/**
 * Parses with a strict, namespace-aware XML parser (saxes, xmlns on): any well-formedness error or a prefix
 * used without its `xmlns:` declaration ("unbound namespace prefix") fails the assertion.
 */
export function assertWellFormedXml(xml: string): StrictXml {
  const parser = new SaxesParser({ xmlns: true });
  const elements: StrictXml['elements'] = [];
  const errors: string[] = [];
  parser.on('error', (err) => errors.push(err.message));
  parser.on('opentag', (tag) => elements.push({ name: tag.name, uri: tag.uri }));
  parser.write(xml).close();
  assert.deepEqual(errors, [], `not well-formed XML:\n${xml}`);
  return { elements };
}

/** Reads an HTTP answer; an XML one must pass assertWellFormedXml. The body stays readable for the caller. */
export async function checkXmlAnswer(response: Response): Promise<Response> {
  if (/xml/i.test(response.headers.get('content-type') ?? '')) {
    const text = await response.clone().text();
    if (text !== '') assertWellFormedXml(text);
  }
  return response;
}
