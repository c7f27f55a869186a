package openenv.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import openenv.api.Action;
import openenv.api.Description;

/**
 * JSON Schema of record types in the shape pydantic's {@code model_json_schema()} gives: {@code type},
 * {@code title} (the simple class name; fields get pydantic's titles such as {@code "Message Length"}),
 * {@code description} from {@link Description}, {@code properties} in declaration order, {@code required} (every
 * component that is not an {@code Optional}), nested records and enums under {@code $defs} referred to by
 * {@code $ref}. In the schema of an {@link Action} every object of a record gets
 * {@code "additionalProperties": false} (strict decoding rejects unknown keys at every level), and a record
 * implementing {@code Action} that declares no {@code metadata} component gets an optional {@code metadata}
 * object property, as every OpenEnv action may carry one. Schemas are built once per type and are immutable.
 */
final class Schemas {

    private Schemas() {
    }

    private static final ClassValue<Map<String, Object>> CACHE = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            return new Schemas.Builder(type).build();
        }
    };

    static Map<String, Object> of(Class<?> type) {
        return CACHE.get(type);
    }

    private static final class Builder {
        private final Class<?> root;
        private final boolean forAction;
        private final Map<String, Object> defs = new LinkedHashMap<>();
        private final Map<Class<?>, String> defNames = new HashMap<>();

        Builder(Class<?> root) {
            this.root = root;
            this.forAction = Action.class.isAssignableFrom(root);
        }

        Map<String, Object> build() {
            Map<String, Object> top = recordSchema(RecordInfo.of(root));
            if (!defs.isEmpty()) {
                top.put("$defs", defs);
            }
            return freeze(top);
        }

        private Map<String, Object> recordSchema(RecordInfo info) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", "object");
            s.put("title", info.type.getSimpleName());
            Description d = info.type.getAnnotation(Description.class);
            if (d != null) {
                s.put("description", d.value());
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            List<Object> required = new ArrayList<>();
            for (RecordInfo.Component c : info.components) {
                Shape shape = Shape.of(c.genericType(),
                        "component '" + c.javaName() + "' of record " + info.type.getName());
                properties.put(c.wireName(), fieldSchema(c, shape));
                if (!shape.optional()) {
                    required.add(c.wireName());
                }
            }
            if (info.isAction && !properties.containsKey("metadata")) {
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("type", "object");
                metadata.put("title", "Metadata");
                metadata.put("additionalProperties", true);
                metadata.put("description", "Additional metadata for the action");
                properties.put("metadata", metadata);
            }
            s.put("properties", properties);
            if (!required.isEmpty()) {
                s.put("required", required);
            }
            if (forAction) {
                s.put("additionalProperties", false);
            }
            return s;
        }

        private Map<String, Object> fieldSchema(RecordInfo.Component c, Shape shape) {
            Map<String, Object> s = new LinkedHashMap<>();
            String title = Names.title(c.wireName());
            if (shape instanceof Shape.OptionalShape || shape instanceof Shape.OptionalPrimitive) {
                Shape inner = shape instanceof Shape.OptionalShape o ? o.inner() : ((Shape.OptionalPrimitive) shape).inner();
                Map<String, Object> value = typeSchema(inner);
                constraints(value, c, inner);
                s.put("anyOf", List.of(value, Map.of("type", "null")));
                s.put("default", null);
                if (!value.containsKey("$ref")) {
                    s.put("title", title);   // pydantic leaves the title out next to a $ref
                }
            } else {
                s.putAll(typeSchema(shape));
                if (!s.containsKey("$ref")) {
                    s.put("title", title);
                }
                constraints(s, c, shape);
            }
            if (c.description() != null) {
                s.put("description", c.description().value());
            }
            return s;
        }

        private static void constraints(Map<String, Object> s, RecordInfo.Component c, Shape shape) {
            boolean isString = shape == Shape.Scalar.STRING;
            boolean isMap = shape instanceof Shape.MapShape;
            String minKey = isString ? "minLength" : isMap ? "minProperties" : "minItems";
            String maxKey = isString ? "maxLength" : isMap ? "maxProperties" : "maxItems";
            if (c.minLength() != null) {
                s.put(minKey, c.minLength().value());
            }
            if (c.maxLength() != null) {
                s.put(maxKey, c.maxLength().value());
            }
            if (c.minimum() != null) {
                s.put("minimum", Binder.boundValue(c.minimum().value()));
            }
            if (c.maximum() != null) {
                s.put("maximum", Binder.boundValue(c.maximum().value()));
            }
        }

        private Map<String, Object> typeSchema(Shape shape) {
            Map<String, Object> s = new LinkedHashMap<>();
            if (shape instanceof Shape.Scalar scalar) {
                switch (scalar) {
                    case STRING -> s.put("type", "string");
                    case INT, LONG -> s.put("type", "integer");
                    case DOUBLE, FLOAT -> s.put("type", "number");
                    case BOOLEAN -> s.put("type", "boolean");
                    case ANY -> { }
                }
            } else if (shape instanceof Shape.EnumShape e) {
                s.put("$ref", ref(e.type()));
            } else if (shape instanceof Shape.RecordShape r) {
                s.put("$ref", ref(r.type()));
            } else if (shape instanceof Shape.ListShape l) {
                s.put("type", "array");
                s.put("items", typeSchema(l.element()));
            } else if (shape instanceof Shape.ArrayShape a) {
                s.put("type", "array");
                s.put("items", typeSchema(a.element()));
            } else if (shape instanceof Shape.MapShape m) {
                s.put("type", "object");
                s.put("additionalProperties", m.value() == Shape.Scalar.ANY ? (Object) true : typeSchema(m.value()));
            } else if (shape instanceof Shape.OptionalShape o) {
                s.put("anyOf", List.of(typeSchema(o.inner()), Map.of("type", "null")));
            } else if (shape instanceof Shape.OptionalPrimitive p) {
                s.put("anyOf", List.of(typeSchema(p.inner()), Map.of("type", "null")));
            }
            return s;
        }

        /** The {@code $ref} of a nested record or enum, adding it to {@code $defs} the first time. */
        private String ref(Class<?> type) {
            if (type == root) {
                return "#";
            }
            String name = defNames.get(type);
            if (name == null) {
                name = type.getSimpleName();
                if (defs.containsKey(name)) {
                    name = type.getName().replace(".", "__").replace("$", "__");
                }
                defNames.put(type, name);
                defs.put(name, Map.of());   // reserve the slot; recursive references find the name
                defs.put(name, type.isEnum() ? enumSchema(type) : recordSchema(RecordInfo.of(type)));
            }
            return "#/$defs/" + name;
        }

        private static Map<String, Object> enumSchema(Class<?> type) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", "string");
            List<Object> names = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            s.put("enum", names);
            s.put("title", type.getSimpleName());
            Description d = type.getAnnotation(Description.class);
            if (d != null) {
                s.put("description", d.value());
            }
            return s;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T freeze(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put((String) e.getKey(), freeze(e.getValue()));
            }
            return (T) Collections.unmodifiableMap(out);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(freeze(item));
            }
            return (T) Collections.unmodifiableList(out);
        }
        return value;
    }
}
