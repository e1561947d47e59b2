package dev.weft.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph reads top-down — cli → {engine, plugin, agent} → argo → {runtime, oci,
 * artifacts}, with expr a leaf — and nothing reaches another module's {@code internal} packages.
 * Checked on bytecode, so fully qualified names written inline are caught as well as imports.
 */
class ModuleBoundariesTest {
  private static JavaClasses weft;

  @BeforeAll
  static void importWeft() {
    weft =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.weft");
  }

  /** Who may depend on whom; every module not listed as allowed is forbidden. */
  private static ArchRule onlyDependsOn(String module, String... allowed) {
    List<String> all =
        List.of(
            "runtime",
            "oci",
            "artifacts",
            "expr",
            "argo",
            "plugin",
            "engine",
            "agent",
            "cli",
            "bench");
    String[] forbidden =
        all.stream()
            .filter(m -> !m.equals(module) && !List.of(allowed).contains(m))
            .map(m -> "dev.weft." + m + "..")
            .toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage("dev.weft." + module + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden)
        .as(
            "weft-"
                + module
                + " depends only on "
                + (allowed.length == 0 ? "nothing of weft" : String.join(", ", allowed)));
  }

  @Test
  void theRuntimeIsTheCore() {
    onlyDependsOn("runtime").check(weft);
  }

  @Test
  void registriesAndArtifactStoresSitOnTheRuntime() {
    onlyDependsOn("oci", "runtime").check(weft);
    onlyDependsOn("artifacts", "runtime").check(weft);
  }

  @Test
  void theExpressionLanguagesAreALeaf() {
    onlyDependsOn("expr").check(weft);
  }

  @Test
  void argosModelHasNoFrontEnd() {
    onlyDependsOn("argo", "runtime", "oci", "artifacts").check(weft);
  }

  @Test
  void frontEndsUseTheModelNotEachOther() {
    onlyDependsOn("plugin", "argo", "runtime", "oci", "artifacts").check(weft);
    onlyDependsOn("engine", "argo", "expr", "runtime", "oci", "artifacts").check(weft);
    onlyDependsOn("agent", "argo", "expr", "runtime", "oci", "artifacts").check(weft);
  }

  @Test
  void nothingOutsideTheRuntimeReachesItsInternals() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.weft.runtime..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.weft.runtime.internal..")
        .check(weft);
  }

  @Test
  void theRuntimesPublicApiDoesNotLeanOnItsStages() {
    // the public types may use the internals (they are the facade); the internals' stages do not
    // form cycles
    slices().matching("dev.weft.runtime.internal.(*)..").should().beFreeOfCycles().check(weft);
  }

  @Test
  void noFrameworkLeaksIntoTheCore() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.weft.runtime..", "dev.weft.oci..", "dev.weft.argo..", "dev.weft.expr..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..", "org.eclipse.jetty..", "picocli..", "io.fabric8..", "io.micrometer..")
        .check(weft);
  }

  @Test
  void theRulesWouldCatchAnOffender() {
    // a rule that is violated by weft as it is must report it: the checks are not vacuous
    EvaluationResult r =
        noClasses()
            .that()
            .resideInAPackage("dev.weft.plugin..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.weft.argo..")
            .evaluate(weft);
    org.assertj.core.api.Assertions.assertThat(r.hasViolation()).isTrue();
  }
}
