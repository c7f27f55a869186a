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
    void startupSweepRemovesContainersOfGoneJvmsOnThisHostOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        DockerEngine.Owner me = DockerEngine.Owner.current();
        String deadOwner = create(me.host(), gone.pid(), "dead");
        String otherHost = create("some-other-host", gone.pid(), "other-host");
        String liveOwner = create(me.host(), me.pid(), "alive");
        try {
            assertThat(DockerEngine.get().sweep()).contains(deadOwner).doesNotContain(otherHost, liveOwner);
            assertThat(DockerTests.exists(deadOwner)).isFalse();
            assertThat(DockerTests.exists(otherHost)).isTrue();
            assertThat(DockerTests.exists(liveOwner)).isTrue();
        } finally {
            for (String id : new String[] {otherHost, liveOwner, deadOwner}) {
                if (DockerTests.exists(id)) {
                    DockerEngine.get().docker().removeContainerCmd(id).withForce(true).exec();
                }
            }
        }
    }

    /** A created (never started) container carrying our labels for another session. */
    private static String create(String host, long pid, String what) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.SESSION, "sweep-test-" + what + "-" + UUID.randomUUID());
        labels.put(Labels.OWNER_HOST, host);
        labels.put(Labels.OWNER_PID, Long.toString(pid));
        return DockerEngine.get().docker().createContainerCmd(TestImages.tiny()).withLabels(labels).exec().getId();
    }
}
