package openenv.api.spi;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as a server transport hands it to the {@link ProtocolHandler}.
 *
 * @param method  upper-case method, e.g. {@code POST}
 * @param path    decoded path without the query, e.g. {@code /step}
 * @param headers header names in lower case
 * @param body    the full body, possibly empty
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body) {

    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** A header by case-insensitive name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
