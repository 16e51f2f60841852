package dev.lmcache.redis.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Percent-decoding and -encoding of URL components (user names, passwords, socket paths). */
final class PercentCodec {
    private PercentCodec() {
    }

    /**
     * Decodes {@code %XX} sequences as UTF-8. Leniently, like Python's {@code unquote} that
     * LMCache users' URLs were written for: a {@code %} not followed by two hex digits stays as is,
     * and {@code +} is NOT a space (that is form encoding, not URL encoding).
     */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 3;
            } else {
                int end = i + Character.charCount(s.codePointAt(i));
                byte[] bytes = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i = end;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Encodes everything but RFC 3986 unreserved characters, so the result parses back unchanged. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
