/** XML character data by hand: xml2js's Builder cannot interleave differently-named siblings (Add, Replace, Add). */

// XML 1.0 cannot carry these, not even as character references; a value holding one should travel as b64.
const NOT_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const SPECIAL = /[&<>\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Whether a value can travel as XML text (Format chr); when not, send it as b64 (escapeText would replace characters). */
export function isXmlSafeText(value: string): boolean {
  NOT_XML_CHARACTER.lastIndex = 0;
  return !NOT_XML_CHARACTER.test(value);
}

/** Character data; `\r` as a reference, since a parser would turn a raw CR (LF) into LF. */
export function escapeText(value: string): string {
  return value.replace(NOT_XML_CHARACTER, '\uFFFD').replace(SPECIAL, (c) => ESCAPES[c]);
}
