import { tenantStream } from '../shared/tenant-stream.ts';

/**
 * The identity of a dialled number: its digits, without the `+`. `+3225550100` and `3225550100` are one number, so
 * one stream and one directory entry; the switch may report a DID either way. A national spelling (`025550100`)
 * is another key: carriers deliver one spelling per trunk, and the number is assigned as the trunk delivers it.
 */
export function numberKey(number: string): string {
  return number.startsWith('+') ? number.slice(1) : number;
}

/** The stream of a number: `number-<tenant>.<digits>`, or `number-<digits>` for the default tenant (the tenancy contract). */
export function numberStream(tenant: string | undefined, number: string): string {
  return tenantStream('number', tenant, numberKey(number));
}

/** The tenant and key of a number stream, or undefined when `stream` is not one (`number-acme.3225550100`, `number-3225550100`). */
export function parseNumberStream(stream: string): { tenant: string | undefined; key: string } | undefined {
  const m = /^number-(?:([a-z0-9][a-z0-9_-]{0,62})\.)?([0-9]{2,20})$/.exec(stream);
  return m ? { tenant: m[1], key: m[2]! } : undefined;
}
