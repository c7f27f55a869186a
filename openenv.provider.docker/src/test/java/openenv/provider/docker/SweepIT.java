package openenv.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("docker")
class SweepIT {

    @BeforeEach
    void engine() {
        DockerTests.assumeEngine();
    }

    @Test
    void startupSweepRemovesContainersOfGoneJvmsOfThisHostAndPidNamespaceOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        DockerEngine.Owner me = DockerEngine.Owner.current();
        String ns = me.pidNamespace().orElseThrow();
        String deadOwner = create(me.host(), ns, gone.pid(), "dead");
        String otherHost = create("some-other-host", ns, gone.pid(), "other-host");
        String otherNamespace = create(me.host(), "pid:[1]", gone.pid(), "other-namespace");
        String liveOwner = create(me.host(), ns, me.pid(), "alive");
        try {
            assertThat(DockerEngine.get().sweep()).contains(deadOwner)
                    .doesNotContain(otherHost, otherNamespace, liveOwner);
            assertThat(DockerTests.exists(deadOwner)).isFalse();
            assertThat(DockerTests.exists(otherHost)).isTrue();
            assertThat(DockerTests.exists(otherNamespace)).isTrue();
            assertThat(DockerTests.exists(liveOwner)).isTrue();
        } finally {
            for (String id : new String[] {otherHost, otherNamespace, liveOwner, deadOwner}) {
                if (DockerTests.exists(id)) {
                    DockerEngine.get().docker().removeContainerCmd(id).withForce(true).exec();
                }
            }
        }
    }

    /** A created (never started) container carrying our labels for another session. */
    private static String create(String host, String pidNamespace, long pid, String what) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.SESSION, "sweep-test-" + what + "-" + UUID.randomUUID());
        labels.put(Labels.OWNER_HOST, host);
        labels.put(Labels.OWNER_PID, Long.toString(pid));
        labels.put(Labels.OWNER_PID_NAMESPACE, pidNamespace);
        return DockerEngine.get().docker().createContainerCmd(TestImages.tiny()).withLabels(labels).exec().getId();
    }
}
