package dev.lmcache.redis;

/**
 * A server address: a host name, IPv4 or IPv6 address, and a TCP port.
 *
 * <p>An IPv6 address is held without brackets ({@code ::1}); {@link #toString()} adds them
 * back ({@code [::1]:6379}) so the text can be parsed again by {@link #parse(String, int)}.
 *
 * @param host a host name ({@code redis-0.example}), IPv4 ({@code 10.0.0.7}) or IPv6 address
 *     ({@code ::1}, {@code fe80::1%eth0}); surrounding brackets are removed
 * @param port 1..65535
 */
public record HostAndPort(String host, int port) {

    /**
     * Validates the address.
     *
     * @throws ConfigException if the host is empty or holds characters no host name or IP
     *     address can hold, or the port is outside 1..65535
     */
    public HostAndPort {
        if (host == null) {
            throw new ConfigException("endpoint host is missing; accepted: a host name, an IPv4 address"
                    + " or an IPv6 address");
        }
        if (host.length() >= 2 && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new ConfigException("endpoint host is empty; accepted: a host name, an IPv4 address"
                    + " or an IPv6 address");
        }
        if (!validHost(host)) {
            throw new ConfigException("endpoint host '" + host + "' is not a valid host; accepted: a host name"
                    + " (letters, digits, '.', '-', '_'), an IPv4 address or an IPv6 address");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("endpoint port " + port + " of host '" + host
                    + "' is out of range; accepted: 1..65535");
        }
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [ipv6]} or {@code [ipv6]:port}.
     *
     * @param text the address
     * @param defaultPort the port when the text gives none
     * @throws ConfigException naming the text and the accepted forms if it does not parse;
     *     an IPv6 address must be in brackets, since its colons would be ambiguous with the port
     */
    public static HostAndPort parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new ConfigException("endpoint is empty; accepted: host, host:port, [ipv6] or [ipv6]:port");
        }
        String s = text.trim();
        String host;
        String portText;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new ConfigException("endpoint '" + s + "' has no closing ']'; accepted: host, host:port,"
                        + " [ipv6] or [ipv6]:port");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                portText = null;
            } else if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else {
                throw new ConfigException("endpoint '" + s + "' has text after ']' that is not ':port'; accepted:"
                        + " host, host:port, [ipv6] or [ipv6]:port");
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw new ConfigException("endpoint '" + s + "' looks like an IPv6 address without brackets;"
                        + " accepted: host, host:port, [ipv6] or [ipv6]:port (e.g. [::1]:6379)");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            portText = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new ConfigException("endpoint '" + s + "' has no host; accepted: host, host:port, [ipv6]"
                    + " or [ipv6]:port");
        }
        return new HostAndPort(host, portText == null ? defaultPort : parsePort(portText, s));
    }

    private static int parsePort(String portText, String endpoint) {
        boolean digits = !portText.isEmpty() && portText.length() <= 5
                && portText.chars().allMatch(c -> c >= '0' && c <= '9');
        int port = digits ? Integer.parseInt(portText) : -1;
        if (port < 1 || port > 65535) {
            throw new ConfigException("endpoint '" + endpoint + "' has port '" + portText
                    + "', which is not a port; accepted: a number in 1..65535");
        }
        return port;
    }

    private static boolean validHost(String host) {
        boolean ipv6 = host.indexOf(':') >= 0;
        int zone = ipv6 ? host.indexOf('%') : -1;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok;
            if (ipv6 && (zone < 0 || i < zone)) {
                ok = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
            } else if (ipv6 && i == zone) {
                ok = i < host.length() - 1;
            } else {
                ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '.' || c == '-' || c == '_';
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code host:port}, or {@code [host]:port} for an IPv6 address. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
