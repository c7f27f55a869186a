package openenv.provider.docker;

/** The labels this provider puts on every container it creates (reverse-DNS keys, as Docker recommends). */
final class Labels {

    static final String PREFIX = "dev.openenv.";
    /** Always {@value #MANAGED_BY_VALUE}; the startup sweep looks only at containers carrying it. */
    static final String MANAGED_BY = PREFIX + "managed-by";
    static final String MANAGED_BY_VALUE = "openenv-java";
    /** Random id of the JVM that created the container; the reaper removes by it. */
    static final String SESSION = PREFIX + "session";
    /** ISO-8601 instant of creation. */
    static final String CREATED = PREFIX + "created";
    /** Host name, pid and process start (epoch ms) of the owning JVM, for the startup sweep. */
    static final String OWNER_HOST = PREFIX + "owner.host";
    static final String OWNER_PID = PREFIX + "owner.pid";
    static final String OWNER_START = PREFIX + "owner.start";
    /** The owner's pid namespace ({@code pid:[4026531836]}): a pid means nothing in another namespace. */
    static final String OWNER_PID_NAMESPACE = PREFIX + "owner.pidns";
    /** The image as the user named it. */
    static final String IMAGE = PREFIX + "image";

    private Labels() {
    }
}
