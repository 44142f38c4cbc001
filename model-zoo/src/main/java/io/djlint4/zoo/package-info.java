/**
 * An offline DJL model zoo for the Int4 engine: {@link io.djlint4.zoo.Int4ModelZoo} serves the
 * models {@link io.djlint4.zoo.LocalModels} finds in a local directory, with {@link
 * io.djlint4.zoo.Int4TranslatorFactory} as the default translator factory.
 */
package io.djlint4.zoo;
