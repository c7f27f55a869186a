package openenv.api.spi;

/** Starts environment images as containers ("docker", "k8s"). */
public interface ContainerProvider extends Provider {

    /**
     * Starts the container and waits until it is ready ({@code /health} answers 200) or
     * {@link ContainerSpec#startupTimeout()} passes. The caller must close the result.
     *
     * @throws openenv.api.ContainerException when it cannot start, exits early, or never becomes ready
     */
    RunningContainer start(ContainerSpec spec);
}
