// `node --import ./no-dns.mjs …`: a machine without a resolver. Every host name but localhost
// (and IP literals)
// fails in dns.lookup with getaddrinfo's ENOTFOUND, so fetch (undici → net.connect → lookup)
// produces the real "fetch failed" error with that cause, without any packet leaving the box.
import dns from 'node:dns';
import net from 'node:net';

const original = dns.lookup;
let lookups = 0;
dns.lookup = (hostname, options, callback) => {
  const cb = typeof options === 'function' ? options : callback;
  if (hostname === 'localhost' || net.isIP(hostname)) return original(hostname, options, callback);
  lookups++;
  const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });
  process.nextTick(cb, error);
};
/** How many names were looked up (and failed). */
globalThis.__noDnsLookups = () => lookups;
