package openenv.api.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import openenv.api.EnvironmentInfo;

/** The OpenAPI 3 document served at {@code /openapi.json} (Python's {@code openenv validate --url} reads it). */
final class OpenApi {

    private OpenApi() {
    }

    static Map<String, Object> document(EnvironmentInfo info, Map<String, Object> schemas) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("title", info.name());
        meta.put("description", info.description().orElse("OpenEnv environment served by openenv-java"));
        meta.put("version", "1.0.0");
        doc.put("info", meta);

        Map<String, Object> resetBody = new LinkedHashMap<>();
        resetBody.put("type", "object");
        resetBody.put("properties", Map.of(
                "seed", Map.of("anyOf", List.of(Map.of("type", "integer", "minimum", 0), Map.of("type", "null"))),
                "episode_id", Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "null")))));
        resetBody.put("additionalProperties", true);

        Map<String, Object> stepBody = new LinkedHashMap<>();
        stepBody.put("type", "object");
        stepBody.put("properties", Map.of(
                "action", schemas.get("action"),
                "timeout_s", Map.of("anyOf", List.of(Map.of("type", "number", "exclusiveMinimum", 0),
                        Map.of("type", "null"))),
                "request_id", Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "null")))));
        stepBody.put("required", List.of("action"));

        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", "object");
        envelope.put("properties", Map.of(
                "observation", schemas.get("observation"),
                "reward", Map.of("anyOf", List.of(Map.of("type", "number"), Map.of("type", "null"))),
                "done", Map.of("type", "boolean", "default", false),
                "metadata", Map.of("type", "object")));
        envelope.put("required", List.of("observation"));

        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("/health", Map.of("get", operation("Health", "health", null,
                Map.of("type", "object", "properties", Map.of("status", Map.of("type", "string"))))));
        paths.put("/reset", Map.of("post", operation("Reset the environment", "reset", resetBody, envelope)));
        paths.put("/step", Map.of("post", operation("Apply one action", "step", stepBody, envelope)));
        paths.put("/state", Map.of("get", operation("Current state", "state", null, schemas.get("state"))));
        paths.put("/schema", Map.of("get", operation("Action, observation and state schemas", "schema", null,
                Map.of("type", "object"))));
        paths.put("/metadata", Map.of("get", operation("Environment metadata", "metadata", null,
                Map.of("type", "object"))));
        paths.put("/sessions", Map.of("post", operation("Create a stateful HTTP session (openenv-java extension)",
                "create_session", null, Map.of("type", "object",
                        "properties", Map.of("session_id", Map.of("type", "string"))))));
        doc.put("paths", paths);
        return doc;
    }

    private static Map<String, Object> operation(String summary, String id, Object requestSchema,
                                                 Object responseSchema) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", summary);
        op.put("operationId", id);
        if (requestSchema != null) {
            op.put("requestBody", Map.of("content", Map.of("application/json", Map.of("schema", requestSchema))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", "Successful Response",
                "content", Map.of("application/json", Map.of("schema", responseSchema))));
        if (requestSchema != null) {
            responses.put("422", Map.of("description", "Validation Error"));
        }
        op.put("responses", responses);
        return op;
    }
}
