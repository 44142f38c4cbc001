package io.djlint4.zoo;

import ai.djl.Application;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The offline zoo of the Int4 engine: every artifact {@link LocalModels} finds in the model
 * directory, loaded by {@link Int4ModelLoader} and listed under {@code
 * Application.NLP.TEXT_GENERATION}. The directory is listed on each lookup, so models
 * added (or a changed {@code int4.models} property) are seen without a restart. Nothing is
 * downloaded.
 */
public class Int4ModelZoo extends ModelZoo {

    /** The zoo's group id. */
    public static final String GROUP_ID = "io.djlint4";

    private static final Set<String> ENGINES = Set.of("Int4");

    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return ENGINES;
    }

    @Override
    public Collection<ModelLoader> getModelLoaders() {
        List<ModelLoader> loaders = new ArrayList<>();
        for (Map.Entry<String, Path> e : LocalModels.artifacts(LocalModels.root()).entrySet()) {
            loaders.add(loader(e.getKey(), e.getValue()));
        }
        return loaders;
    }

    @Override
    public ModelLoader getModelLoader(String name) {
        Path path = LocalModels.artifacts(LocalModels.root()).get(name);
        return path == null ? null : loader(name, path);
    }

    /**
     * Returns the loader of a model, or says where it was looked for. ({@code Criteria} reports a
     * missing artifact only as "No model matching the criteria is found.")
     *
     * @param artifactId the artifact name
     * @return the loader
     * @throws ModelNotFoundException naming the directory searched and what it holds
     */
    public ModelLoader requireModelLoader(String artifactId) throws ModelNotFoundException {
        return loader(artifactId, LocalModels.locate(LocalModels.root(), artifactId));
    }

    private static ModelLoader loader(String artifactId, Path path) {
        Repository repository = Repository.newInstance(artifactId, path);
        return new Int4ModelLoader(
                MRL.model(repository, Application.NLP.TEXT_GENERATION, GROUP_ID, artifactId, null, null));
    }
}
