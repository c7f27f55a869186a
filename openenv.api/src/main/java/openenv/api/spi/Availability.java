package openenv.api.spi;

import java.util.Objects;
import java.util.Optional;

/** Whether a provider can be used here and, when not, why (a sentence that says what to do). */
public record Availability(boolean available, Optional<String> reason) {

    private static final Availability YES = new Availability(true, Optional.empty());

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    public static Availability yes() {
        return YES;
    }

    public static Availability no(String reason) {
        return new Availability(false, Optional.of(Objects.requireNonNull(reason, "reason")));
    }
}
