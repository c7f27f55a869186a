package openenv.api.spi;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response produced by the {@link ProtocolHandler}; the transport adds {@code Content-Length}.
 *
 * @param status      status code
 * @param contentType value of {@code Content-Type}
 * @param headers     further headers, e.g. {@code Allow} or {@code Retry-After}
 * @param body        the body
 */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    public static final String JSON = "application/json";

    public HttpResponse {
        Objects.requireNonNull(contentType, "contentType");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        Objects.requireNonNull(body, "body");
    }

    /** A JSON response with no extra headers. */
    public static HttpResponse json(int status, byte[] body) {
        return new HttpResponse(status, JSON, Map.of(), body);
    }

    /** A JSON {@code {"detail": "..."}} error body, as FastAPI writes it for simple errors. */
    public static HttpResponse detail(int status, String detail) {
        return json(status, ("{\"detail\":" + JsonStrings.quote(detail) + "}").getBytes(StandardCharsets.UTF_8));
    }
}
