/**
 * Artifact stores behind one interface, Argo's archive formats and key conventions, lazy range
 * reads.
 */
package dev.weft.artifacts;
