package ma.majlis.gateway;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Who a request comes from, as far as limits are concerned: the peer's address, unless the peer is one of the
 * operator's trusted proxies, in which case the nearest address in {@code X-Forwarded-For} that is not a trusted
 * proxy. A header from anyone else is ignored, so a client cannot choose its own address.
 */
final class ClientAddresses {

    private final List<Range> trusted;

    /** @param trustedProxies addresses or CIDR ranges, such as {@code 10.0.0.0/8, 192.168.1.10} */
    ClientAddresses(List<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String proxy : trustedProxies) {
            if (!proxy.isBlank()) {
                ranges.add(Range.parse(proxy.strip()));
            }
        }
        this.trusted = List.copyOf(ranges);
    }

    String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
        return of(peer, request.getHeaders().getValuesAsList("X-Forwarded-For"));
    }

    String of(String peer, List<String> forwardedFor) {
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        // Right to left: each trusted proxy appended the address it saw; the first one no proxy of ours added
        // is the client's.
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!isTrusted(hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.isEmpty() ? peer : hops.get(0);
    }

    private boolean isTrusted(String address) {
        for (Range range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address range in CIDR notation; a bare address is a range of one. */
    private record Range(BigInteger network, int prefix, int bits) {

        static Range parse(String cidr) {
            String[] parts = cidr.split("/", 2);
            byte[] address = bytes(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("Not an address or CIDR range in MAJLIS_TRUSTED_PROXIES: " + cidr);
            }
            int bits = address.length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            return new Range(masked(new BigInteger(1, address), prefix, bits), prefix, bits);
        }

        boolean contains(String text) {
            byte[] address = bytes(text);
            return address != null && address.length * 8 == bits
                && masked(new BigInteger(1, address), prefix, bits).equals(network);
        }

        private static BigInteger masked(BigInteger address, int prefix, int bits) {
            return address.shiftRight(bits - prefix);
        }

        /** The address's bytes if {@code text} is a literal IPv4 or IPv6 address (no name lookups), else null. */
        private static byte @Nullable [] bytes(String text) {
            if (text.isEmpty() || !text.matches("[0-9A-Fa-f:.]+")) {
                return null;
            }
            try {
                return InetAddress.getByName(text).getAddress();
            }
            catch (UnknownHostException ex) {
                return null;
            }
        }
    }
}
