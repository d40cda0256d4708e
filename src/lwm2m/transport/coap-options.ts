import type { IncomingMessage, OptionValue } from 'coap';
import { toBinary } from 'coap/dist/lib/option_converter.js';

/** node-coap turns Content-Format / Accept into media-type names; LwM2M code works with the numbers. */
export function contentFormatNumber(value: OptionValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  return toBinary('Content-Format', value).reduce((acc: number, byte: number) => acc * 256 + byte, 0);
}

type WithOptions = IncomingMessage & { options?: Array<{ name: string | number; value: unknown }> };

/** Values of a repeatable option (Uri-Path, Uri-Query, Location-Path), as text. */
export function optionStrings(message: IncomingMessage, name: string): string[] {
  return ((message as WithOptions).options ?? []).filter((option) => option.name === name).map((option) => String(option.value));
}

/** Uri-Path segments exactly as sent (a segment may contain `/`). */
export function uriPath(message: IncomingMessage): string[] {
  return optionStrings(message, 'Uri-Path');
}

/** Uri-Query options, one `name=value` (or bare `name`) each. */
export function uriQuery(message: IncomingMessage): string[] {
  return optionStrings(message, 'Uri-Query');
}

/** Numeric Content-Format of a message, undefined when absent, NaN when the option is malformed. */
export function messageContentFormat(message: IncomingMessage): number | undefined {
  const present = ((message as WithOptions).options ?? []).some((option) => option.name === 'Content-Format');
  if (!present) return undefined;
  return contentFormatNumber(message.headers['Content-Format']) ?? Number.NaN;
}
