package openenv.provider.docker;

import openenv.api.Containers;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;

/** Run by {@link ReaperIT} in a child JVM: starts two containers, prints their ids, and waits to be killed. */
final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        RunningContainer first = Containers.start("docker", ContainerSpec.of(args[0]));
        RunningContainer second = Containers.start("docker", ContainerSpec.of(args[0]));
        long reaper = DockerEngine.get().reaper().map(Process::pid).orElse(-1L);
        System.out.println("STARTED " + first.id() + " " + second.id() + " " + reaper + " " + DockerEngine.get().session);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
