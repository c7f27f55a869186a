package openenv.api.internal;

/** The kinds of providers we select, with what to tell a user who has none. */
public enum ProviderKind {
    SERVER_TRANSPORT("ServerTransportProvider", "server transport", "openenv.server", "transport",
            "dev.openenv:openenv-transport-netty", "openenv.transport.netty", "no-server-transport"),
    CLIENT_TRANSPORT("ClientTransportProvider", "client transport", "openenv.client", "transport",
            "dev.openenv:openenv-transport-netty or dev.openenv:openenv-transport-httpclient",
            "openenv.transport.netty or openenv.transport.httpclient", "no-client-transport"),
    CODEC("CodecProvider", "JSON codec", "openenv.codec", "codec",
            "dev.openenv:openenv-json", "openenv.json", "no-codec"),
    CONTAINER("ContainerProvider", "container provider", "openenv.container", "provider",
            "dev.openenv:openenv-provider-docker", "openenv.provider.docker", "no-container-provider");

    private final String spi;
    private final String noun;
    private final String property;
    private final String builderMethod;
    private final String artifact;
    private final String module;
    private final String anchor;

    ProviderKind(String spi, String noun, String property, String builderMethod, String artifact, String module,
                 String anchor) {
        this.spi = spi;
        this.noun = noun;
        this.property = property;
        this.builderMethod = builderMethod;
        this.artifact = artifact;
        this.module = module;
        this.anchor = anchor;
    }

    /** Simple name of the SPI interface. */
    public String spi() {
        return spi;
    }

    /** What users call it, e.g. "server transport". */
    public String noun() {
        return noun;
    }

    /** System property that names the provider to use. */
    public String property() {
        return property;
    }

    /** Builder method that names the provider to use. */
    public String builderMethod() {
        return builderMethod;
    }

    /** Artifact(s) to add when none is found. */
    public String artifact() {
        return artifact;
    }

    /** Module(s) to add when none is found. */
    public String module() {
        return module;
    }

    /** Anchor in docs/troubleshooting.md. */
    public String anchor() {
        return anchor;
    }
}
