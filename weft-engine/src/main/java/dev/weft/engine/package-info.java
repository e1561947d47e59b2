/** The local workflow engine: Argo Workflow YAML run on one machine, every wasm step in-process. */
package dev.weft.engine;
