/**
 * Malformed and hostile values for the :n segment, as they go on the wire (already
 * percent-encoded where a raw character could not be sent). Hand-written ones name the
 * classic tricks; generators in the reliability test add hundreds more.
 */
const enc = encodeURIComponent;

export const HAND_WRITTEN_HOSTILE: readonly string[] = [
  // signs, exponents, other bases, fractions
  '-1', '+1', '-0', '1e3', '1E3', '1e+3', '1e-3', '0x10', '0X1F', '0b101', '0o17', '1.5', '1.', '.5', '10.0',
  'NaN', 'Infinity', '-Infinity', 'null', 'undefined', 'true', '[]', '{}',
  // separators and spaces (encoded)
  '1,000', '1_000', "1'000", enc('1 000'), enc(' 12'), enc('12 '), enc('\t12'), enc('12\n'), enc('1\u00a0000'), enc('1\u2009000'),
  // non-ASCII digits: Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai, fullwidth, mathematical bold, superscript
  enc('١٢٣'), enc('۱۲۳'), enc('१२३'), enc('১২৩'), enc('๑๒๓'), enc('１２３'), enc('𝟏𝟐𝟑'), enc('¹²³'), enc('Ⅻ'),
  // zero, leading zeros, overlong
  '0', '00', '000000', '007', '0123', '9'.repeat(17), '1'.repeat(100), '9'.repeat(5000),
  // encoded slashes, traversal, null bytes, control characters
  '%2F', '1%2F2', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2f', '..%5C..%5Cwindows', '%00', '1%00', '12%00', '%0d%0aSet-Cookie:%20x=1',
  '%01', '%7F', '%1b%5B31m',
  // broken percent-encoding
  '%', '%%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '1%', '%2',
  // injection-looking strings (they are just strings here)
  enc("1' OR '1'='1"), enc('1;DROP TABLE x'), enc('<script>alert(1)</script>'), enc('${7*7}'), enc('{{7*7}}'), enc('$(id)'), enc('`id`'),
  // query and fragment lookalikes, encoded
  '%3F', '%23', '1%3Fx=1', '1%23frag',
  // emoji and odd unicode
  enc('💯'), enc('1️⃣'), enc('\u200b1'), enc('1\u200b'), enc('\ufeff1'), enc('\u202e1'),
];

/** Paths (not just :n values) that must also get 4xx JSON. */
export const HOSTILE_PATHS: readonly string[] = [
  '/prime/', '/prime//5', '/prime/5/', '/prime/5/6', '/prime/5;x', '/PRIME/5', '/prime%2F5', '/%70rime/5',
  `/${'x'.repeat(4000)}`, '/.env', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/metrics%00',
];
