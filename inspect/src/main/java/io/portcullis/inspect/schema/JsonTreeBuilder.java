package io.portcullis.inspect.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;

/**
 * Builds the {@link JsonNode} tree of a body from the tokens of a parse done elsewhere (the single parse of an
 * inbound body), so contract validation does not parse the body again.
 *
 * <p>Given the tokens of a whole, well-formed body, {@link #tree()} equals what {@link VendorContract}'s own
 * reader builds from the bytes (same node types: int, long, big integer, double), or is null when the body comes
 * close to one of that reader's caps (nesting, string, number or key length) — the caller then hands the bytes to
 * the contract, which answers as before. Single-threaded, one body. Never throws.
 */
public final class JsonTreeBuilder {
    /** The contract reader's caps (see VendorContract's body mapper: nesting 512, Jackson defaults otherwise), with margin. */
    private static final int MAX_DEPTH = 512;
    private static final int STRING_CAP = com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_STRING_LEN - 16;
    private static final int NUMBER_CAP = com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_NUM_LEN - 16;
    private static final int NAME_CAP = com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_NAME_LEN / 4;

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private ContainerNode<?>[] stack = new ContainerNode<?>[16];
    private int depth;
    private String name;
    private JsonNode root;
    private boolean given;

    /** The next token, with {@code parser} positioned on it. */
    public void token(JsonParser parser, JsonToken t) {
        if (given) return;
        try {
            switch (t) {
                case START_OBJECT -> push(nodes.objectNode());
                case START_ARRAY -> push(nodes.arrayNode());
                case END_OBJECT, END_ARRAY -> {
                    if (depth > 0) depth--;
                }
                case FIELD_NAME -> {
                    name = parser.currentName();
                    if (name.length() > NAME_CAP) given = true;
                }
                case VALUE_STRING -> {
                    if (parser.getTextLength() > STRING_CAP) given = true;
                    else add(nodes.textNode(parser.getText()));
                }
                case VALUE_NUMBER_INT -> {
                    if (parser.getTextLength() > NUMBER_CAP) {
                        given = true;
                        return;
                    }
                    add(switch (parser.getNumberType()) {
                        case INT -> nodes.numberNode(parser.getIntValue());
                        case LONG -> nodes.numberNode(parser.getLongValue());
                        default -> nodes.numberNode(parser.getBigIntegerValue());
                    });
                }
                case VALUE_NUMBER_FLOAT -> {
                    if (parser.getTextLength() > NUMBER_CAP) {
                        given = true;
                        return;
                    }
                    add(switch (parser.getNumberTypeFP()) {
                        case BIG_DECIMAL -> nodes.numberNode(parser.getDecimalValue());
                        case FLOAT32 -> nodes.numberNode(parser.getFloatValue());
                        default -> nodes.numberNode(parser.getDoubleValue());
                    });
                }
                case VALUE_TRUE -> add(nodes.booleanNode(true));
                case VALUE_FALSE -> add(nodes.booleanNode(false));
                case VALUE_NULL -> add(nodes.nullNode());
                default -> given = true;
            }
        } catch (IOException | RuntimeException e) {
            given = true;
        }
    }

    /** The tree of the whole body, or null when this builder gave up (see the class comment) or saw no value. */
    public JsonNode tree() {
        return given || depth != 0 ? null : root;
    }

    private void push(ContainerNode<?> node) {
        if (depth + 1 > MAX_DEPTH) {
            given = true;
            return;
        }
        add(node);
        if (depth == stack.length) stack = Arrays.copyOf(stack, depth * 2);
        stack[depth++] = node;
    }

    private void add(JsonNode value) {
        if (depth == 0) {
            root = value;
        } else if (stack[depth - 1] instanceof ObjectNode o) {
            o.set(name, value);
        } else {
            ((ArrayNode) stack[depth - 1]).add(value);
        }
    }
}
