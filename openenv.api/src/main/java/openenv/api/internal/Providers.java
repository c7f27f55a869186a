package openenv.api.internal;

import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import openenv.api.ConfigurationException;
import openenv.api.spi.Availability;
import openenv.api.spi.Provider;

/**
 * Chooses a provider: a requested name (builder, else system property) wins; otherwise among the available
 * ones the single one, or the highest priority. No silent fallback: every failure says what was searched and
 * what to add.
 */
public final class Providers {

    private static final System.Logger LOG = System.getLogger(Providers.class.getName());

    private Providers() {
    }

    /** Every provider of {@code type} that ServiceLoader sees from this module (module path and class path). */
    public static <P extends Provider> List<P> load(Class<P> type) {
        List<P> found = new ArrayList<>();
        try {
            for (P provider : ServiceLoader.load(type, Providers.class.getClassLoader())) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException("Could not load a " + type.getSimpleName() + ": " + e.getMessage()
                    + ". Check the META-INF/services file or module-info 'provides' of the module named above.", e);
        }
        return found;
    }

    /** The name requested through the builder, else through {@code -D<kind.property()>=name}. */
    public static Optional<String> requestedName(ProviderKind kind, Optional<String> fromBuilder) {
        if (fromBuilder.isPresent()) {
            return fromBuilder;
        }
        String property = System.getProperty(kind.property());
        return property == null || property.isBlank() ? Optional.empty() : Optional.of(property.trim());
    }

    /**
     * Picks one provider from {@code candidates}.
     *
     * @param context extra words for messages, e.g. "for scheme ws", may be empty
     * @throws ConfigurationException when none fits or the choice is ambiguous
     */
    public static <P extends Provider> P pick(ProviderKind kind, List<P> candidates, Optional<String> requested,
                                              String context) {
        String where = context.isEmpty() ? "" : " " + context;
        if (requested.isPresent()) {
            String name = requested.get();
            for (P candidate : candidates) {
                if (candidate.name().equals(name)) {
                    Availability availability = candidate.availability();
                    if (!availability.available()) {
                        throw new ConfigurationException("The " + kind.noun() + " '" + name + "'" + where
                                + " is present but unavailable: " + availability.reason().orElse("no reason given")
                                + ". See docs/troubleshooting.md#" + kind.anchor());
                    }
                    logChoice(kind, candidate, "requested by name");
                    return candidate;
                }
            }
            throw new ConfigurationException("No " + kind.spi() + " named '" + name + "'" + where + ". Found: "
                    + describe(candidates) + ". Use one of those names with ." + kind.builderMethod()
                    + "(name) or -D" + kind.property() + "=name, or add the module that provides '" + name
                    + "'. See docs/troubleshooting.md#" + kind.anchor());
        }
        if (candidates.isEmpty()) {
            throw new ConfigurationException(noneFound(kind, where));
        }
        List<P> usable = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (P candidate : candidates) {
            Availability availability = candidate.availability();
            if (availability.available()) {
                usable.add(candidate);
            } else {
                reasons.add(candidate.name() + ": " + availability.reason().orElse("no reason given"));
            }
        }
        if (usable.isEmpty()) {
            throw new ConfigurationException("Every " + kind.spi() + where + " found is unavailable:\n  "
                    + String.join("\n  ", reasons) + "\nFix one of them or add another " + kind.noun() + " ("
                    + kind.artifact() + "). See docs/troubleshooting.md#" + kind.anchor());
        }
        usable.sort(Comparator.comparingInt(Provider::priority).reversed());
        P best = usable.get(0);
        if (usable.size() > 1 && usable.get(1).priority() == best.priority()) {
            List<P> tied = usable.stream().filter(p -> p.priority() == best.priority()).collect(Collectors.toList());
            throw new ConfigurationException("Several " + kind.spi() + "s" + where + " have the same priority ("
                    + best.priority() + "): " + describe(tied) + ". Choose one with ." + kind.builderMethod()
                    + "(\"" + tied.get(0).name() + "\") or -D" + kind.property() + "=" + tied.get(0).name()
                    + ", or remove the others from the module path.");
        }
        logChoice(kind, best, usable.size() == 1 ? "only one available" : "highest priority");
        return best;
    }

    private static String noneFound(ProviderKind kind, String where) {
        return "No " + kind.spi() + where + " found on the module path or class path.\n"
                + "Add a " + kind.noun() + ", e.g. artifact " + kind.artifact() + "\n"
                + "(module " + kind.module() + "). jlink adds service providers only when asked:\n"
                + "--add-modules " + kind.module().split(" ")[0] + ", or --bind-services.\n"
                + "See docs/troubleshooting.md#" + kind.anchor();
    }

    private static String describe(List<? extends Provider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        return providers.stream().map(p -> "'" + p.name() + "' (" + origin(p) + ", priority " + p.priority() + ")")
                .collect(Collectors.joining(", "));
    }

    /** Module name and version of a provider, or "class path". */
    public static String origin(Object provider) {
        Module module = provider.getClass().getModule();
        if (!module.isNamed()) {
            return "class path";
        }
        ModuleDescriptor descriptor = module.getDescriptor();
        return "module " + module.getName()
                + (descriptor == null ? "" : descriptor.rawVersion().map(v -> " " + v).orElse(""));
    }

    private static void logChoice(ProviderKind kind, Provider provider, String why) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Using " + kind.noun() + " '" + provider.name() + "' from "
                + origin(provider) + " (" + why + ")");
    }
}
