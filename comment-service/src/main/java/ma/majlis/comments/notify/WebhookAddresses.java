package ma.majlis.comments.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps webhooks off the machines around Majlis (server-side request forgery): a webhook's host must resolve to
 * public addresses only, when it is registered and again each time it is called (a name may resolve elsewhere
 * later), unless the operator allows private addresses or names this host.
 */
final class WebhookAddresses {

    private final boolean allowPrivate;

    private final Set<String> allowedHosts;

    WebhookAddresses(NotificationSettings settings) {
        this(settings.allowPrivateWebhooks(), settings.allowedWebhookHosts());
    }

    /**
     * @param allowPrivate whether every address is allowed
     * @param allowedHosts host names allowed whatever they resolve to
     */
    WebhookAddresses(boolean allowPrivate, List<String> allowedHosts) {
        this.allowPrivate = allowPrivate;
        this.allowedHosts = allowedHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
            .filter(host -> !host.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Completes when {@code url}'s host may be called; else fails with the 422 problem naming why. */
    Mono<Void> check(URI url) {
        String host = host(url);
        return Mono.fromCallable(() -> InetAddress.getAllByName(host))
            .subscribeOn(Schedulers.boundedElastic())
            .onErrorMap(UnknownHostException.class,
                ex -> NotificationProblems.webhookAddressRefused(host, "cannot be found (no DNS record)"))
            .flatMap(addresses -> {
                String refused = refusal(host, List.of(addresses));
                return refused == null ? Mono.empty()
                    : Mono.error(NotificationProblems.webhookAddressRefused(host, refused));
            });
    }

    private static String host(URI url) {
        String host = url.getHost() == null ? "" : url.getHost();
        // An IPv6 literal comes bracketed.
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Why {@code host} may not be called at these addresses, or null when it may. */
    @Nullable String refusal(String host, List<InetAddress> addresses) {
        if (allowPrivate || allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return null;
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                return "resolves to " + address.getHostAddress() + ", a loopback, link-local or private address";
            }
        }
        return null;
    }

    /**
     * Whether {@code address} is on the public internet: not the machine itself, its link, a private or
     * carrier-grade NAT range, a unique-local or multicast address, nor reserved space.
     */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
            || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xFF;
            int second = bytes[1] & 0xFF;
            return first != 0 // this network
                && !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                && !(first == 192 && second == 0 && (bytes[2] & 0xFF) == 0) // IETF protocol assignments
                && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xFF;
            if ((first & 0xFE) == 0xFC) {
                return false; // unique local fc00::/7
            }
            if (isMappedIpv4(bytes)) {
                try {
                    return isPublic(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
                }
                catch (UnknownHostException ex) {
                    return false;
                }
            }
        }
        return true;
    }

    /** ::ffff:a.b.c.d, an IPv4 address written as IPv6. */
    private static boolean isMappedIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF;
    }

    /**
     * The resolver the webhook client connects through: it refuses to connect where {@link #refusal} refuses, so
     * a name that resolved to a public address at registration cannot be pointed inside later. It looks names up
     * with the JVM's resolver, on the webhook client's own threads.
     */
    AddressResolverGroup<InetSocketAddress> resolvers() {
        return new AddressResolverGroup<>() {
            @Override
            protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
                return new InetSocketAddressResolver(executor, new GuardedNameResolver(executor));
            }
        };
    }

    private final class GuardedNameResolver extends InetNameResolver {

        GuardedNameResolver(EventExecutor executor) {
            super(executor);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            try {
                List<InetAddress> addresses = checked(host);
                promise.setSuccess(addresses.get(0));
            }
            catch (UnknownHostException ex) {
                promise.setFailure(ex);
            }
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            try {
                promise.setSuccess(checked(host));
            }
            catch (UnknownHostException ex) {
                promise.setFailure(ex);
            }
        }

        private List<InetAddress> checked(String host) throws UnknownHostException {
            List<InetAddress> addresses = List.of(InetAddress.getAllByName(host));
            String refused = refusal(host, addresses);
            if (refused != null) {
                throw new UnknownHostException("Not calling " + host + ": it " + refused + ".");
            }
            return addresses;
        }
    }
}
