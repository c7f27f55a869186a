package openenv.json;

/** Wire names and schema titles derived from Java names. */
final class Names {

    private Names() {
    }

    /**
     * camelCase to snake_case. An underscore goes before an upper-case letter that follows a lower-case letter or a
     * digit, and before the last capital of an acronym that is followed by a lower-case letter; everything is then
     * lower-cased: {@code episodeId -> episode_id}, {@code messageLength -> message_length},
     * {@code xMLValue -> x_ml_value}, {@code XMLValue -> xml_value}, {@code httpURL -> http_url},
     * {@code player1Score -> player1_score}, {@code already_snake -> already_snake}.
     */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        int n = name.length();
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    char prev = name.charAt(i - 1);
                    boolean afterLowerOrDigit = Character.isLowerCase(prev) || Character.isDigit(prev);
                    boolean endOfAcronym = Character.isUpperCase(prev) && i + 1 < n
                            && Character.isLowerCase(name.charAt(i + 1));
                    if ((afterLowerOrDigit || endOfAcronym) && out.charAt(out.length() - 1) != '_') {
                        out.append('_');
                    }
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The title pydantic gives a field: underscores become spaces, then Python's {@code str.title()}: a letter
     * is upper-cased when it starts a word (follows a non-letter) and lower-cased otherwise,
     * {@code message_length -> "Message Length"}, {@code episode_id -> "Episode Id"}.
     */
    static String title(String wireName) {
        StringBuilder out = new StringBuilder(wireName.length());
        boolean prevCased = false;
        for (int i = 0; i < wireName.length(); i++) {
            char c = wireName.charAt(i) == '_' ? ' ' : wireName.charAt(i);
            boolean cased = Character.isLetter(c);
            if (cased) {
                out.append(prevCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            } else {
                out.append(c);
            }
            prevCased = cased;
        }
        return out.toString();
    }
}
