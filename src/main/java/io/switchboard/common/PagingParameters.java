package io.switchboard.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Describes {@code ?limit=} and {@code ?cursor=} in the API description, once for every list: they mean the same on
 * each ({@link PageRequest}), so no resource repeats their words. A parameter a resource describes itself is kept.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class PagingParameters implements OASFilter {

    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() != Parameter.In.QUERY || parameter.getDescription() != null) {
            return parameter;
        }
        switch (parameter.getName()) {
            case "limit" -> parameter.description("How many items a page holds at most (default "
                    + PageRequest.DEFAULT_LIMIT + ").")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                            .minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(PageRequest.MAX_LIMIT))
                            .defaultValue(PageRequest.DEFAULT_LIMIT));
            case "cursor" -> parameter.description("The nextCursor of the previous page, as returned: the page after "
                    + "it. Absent for the first page.");
            default -> {
                // Described by its resource.
            }
        }
        return parameter;
    }
}
