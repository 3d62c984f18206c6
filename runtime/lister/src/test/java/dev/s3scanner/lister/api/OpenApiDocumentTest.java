package dev.s3scanner.lister.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document kept in the repository describes exactly what the handler does. */
class OpenApiDocumentTest {
    private static String text;
    private static JsonNode doc;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        doc = new ObjectMapper().readTree(text);
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> codes(Set<ErrorCode> errors) {
        return errors.stream().map(ErrorCode::code).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void isAValidOpenApi3Document() {
        // when
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, null);

        // then
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.");
    }

    @Test
    void listsExactlyTheHandlersRoutes() {
        // given
        Set<String> documented = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey()));
        }

        // when
        Set<String> handled = Arrays.stream(Route.values()).map(r -> r.method() + " " + r.template())
                .collect(Collectors.toCollection(TreeSet::new));

        // then
        assertThat(documented).isEqualTo(handled);
    }

    @Test
    void eachOperationDocumentsItsQueryParametersStatusesAndErrorCodes() {
        for (Route route : Route.values()) {
            // given
            JsonNode op = doc.get("paths").get(route.template()).get(route.method().toLowerCase(Locale.ROOT));
            Set<String> query = new TreeSet<>();
            op.path("parameters").forEach(p -> {
                if (p.get("in").asText().equals("query")) {
                    query.add(p.get("name").asText());
                }
            });
            Set<String> statuses = new TreeSet<>();
            op.get("responses").fieldNames().forEachRemaining(statuses::add);
            Set<String> expectedStatuses = new TreeSet<>();
            expectedStatuses.add(Integer.toString(route.successStatus()));
            route.errors().forEach(e -> expectedStatuses.add(Integer.toString(e.status())));

            // then
            assertThat(query).as(route + " query parameters").isEqualTo(new TreeSet<>(route.queryParameters()));
            assertThat(statuses).as(route + " statuses").isEqualTo(expectedStatuses);
            assertThat(strings(op.get("x-error-codes"))).as(route + " x-error-codes").isEqualTo(codes(route.errors()));
            for (String status : statuses) {
                if (status.startsWith("2")) {
                    continue;
                }
                Matcher m = Pattern.compile("Codes: ([a-z_, ]+)\\.$").matcher(op.get("responses").get(status).get("description").asText());
                assertThat(m.find()).as(route + " " + status + " lists its codes").isTrue();
                Set<String> listed = new TreeSet<>(Arrays.asList(m.group(1).split(", ")));
                Set<String> expected = codes(route.errors().stream().filter(e -> e.status() == Integer.parseInt(status))
                        .collect(Collectors.toSet()));
                assertThat(listed).as(route + " " + status + " codes").isEqualTo(expected);
            }
        }
    }

    @Test
    void theErrorSchemaListsEveryErrorCode() {
        // when
        Set<String> documented = strings(doc.at("/components/schemas/Error/properties/error/properties/code/enum"));
        Set<String> pathErrors = strings(doc.get("x-path-errors"));

        // then
        assertThat(documented).isEqualTo(codes(new HashSet<>(Arrays.asList(ErrorCode.values()))));
        assertThat(pathErrors).isEqualTo(codes(new HashSet<>(Route.PATH_ERRORS)));
    }
}
