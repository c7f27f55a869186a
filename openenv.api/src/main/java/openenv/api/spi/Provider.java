package openenv.api.spi;

/**
 * What every openenv-java service provider has: a stable name, a priority and an availability probe.
 * Constructors of providers do nothing; all work happens in the factory method of the concrete SPI.
 */
public interface Provider {

    /** Stable lower-case id, e.g. {@code "netty"}; users select providers by it. */
    String name();

    /** Only consulted when several are usable and none was named; higher wins. */
    default int priority() {
        return 0;
    }

    /** Cheap check with no side effects, e.g. "is a Docker socket reachable?". */
    default Availability availability() {
        return Availability.yes();
    }
}
