/**
 * The Resident components the workbench's pages place, by tag. The build replaces this module with
 * one generated from the components present in force-app (scripts/workbench/build.ts): a component
 * that is not there yet is listed in `missingComponents`, and its page shows a note instead of
 * failing the build. This file is only what the type-checker reads.
 */
import type { LightningElement } from 'lwc';

export type ComponentConstructor = typeof LightningElement;

export const pageComponents: Record<string, ComponentConstructor> = {};

/** Tag → the folder under force-app/main/default/lwc it would come from. */
export const missingComponents: Record<string, string> = {};
