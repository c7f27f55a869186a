package openenv.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code GET /metadata} reports. Absent values are sent as JSON {@code null}.
 */
public record EnvironmentInfo(String name, Optional<String> description, Optional<String> readmeContent,
                              Optional<String> version, Optional<String> author, Optional<String> documentationUrl) {

    public EnvironmentInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(readmeContent, "readmeContent");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(documentationUrl, "documentationUrl");
    }

    /** Only a name; everything else absent. */
    public static EnvironmentInfo named(String name) {
        return new EnvironmentInfo(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** A copy with a description. */
    public EnvironmentInfo withDescription(String text) {
        return new EnvironmentInfo(name, Optional.of(text), readmeContent, version, author, documentationUrl);
    }

    /** A copy with a version. */
    public EnvironmentInfo withVersion(String text) {
        return new EnvironmentInfo(name, description, readmeContent, Optional.of(text), author, documentationUrl);
    }

    /** A copy with README content (Markdown). */
    public EnvironmentInfo withReadme(String markdown) {
        return new EnvironmentInfo(name, description, Optional.of(markdown), version, author, documentationUrl);
    }
}
