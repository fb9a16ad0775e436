package io.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.junit.jupiter.api.Test;

/** Dev mode's API description holds every route of the simulator's admin API, as {@link AdminRoutes} mounts it. */
class SimulatorOpenApiTest {

    @Test
    void everyAdminRouteIsDocumented() {
        var mounted = new TreeSet<String>();
        var vertx = Vertx.vertx();
        try {
            var router = Router.router(vertx);
            new AdminRoutes(null, null).register(router);
            router.getRoutes().forEach(route -> route.methods().forEach(method -> mounted.add(method.name() + " "
                    + route.getPath().replaceAll(":([a-z]+)", "{$1}"))));
        } finally {
            vertx.close();
        }
        assertThat(mounted).hasSizeGreaterThan(20);

        var document = OASFactory.createOpenAPI();
        new SimulatorOpenApi().filterOpenAPI(document);
        var documented = new TreeSet<String>();
        document.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method,
                operation) -> {
            documented.add(method.name() + " " + path.substring("/sim".length()));
            assertThat(operation.getTags()).as(path).containsExactly(SimulatorOpenApi.TAG);
            assertThat(operation.getSecurity()).as(path).isEmpty();
        }));
        assertThat(documented).isEqualTo(mounted);
        assertThat(document.getPaths().getPathItem("/sim/admin/calls/{sid}/legs").getOperations())
                .containsKey(PathItem.HttpMethod.GET);
    }
}
