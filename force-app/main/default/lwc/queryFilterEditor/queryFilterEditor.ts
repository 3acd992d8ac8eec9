import { LightningElement, api } from 'lwc';
import { SCHEDULE_LIMITS } from 'c/reportSchedule';
import type { FilterOperator, QueryFilter } from 'c/reportSchedule';
import addFilterLabel from '@salesforce/label/c.Resident_ReportScheduler_AddFilter';
import removeFilterLabel from '@salesforce/label/c.Resident_ReportScheduler_RemoveFilter';
import filterFieldLabel from '@salesforce/label/c.Resident_ReportScheduler_FilterField';
import filterOperatorLabel from '@salesforce/label/c.Resident_ReportScheduler_FilterOperator';
import filterValueLabel from '@salesforce/label/c.Resident_ReportScheduler_FilterValue';
import opEqualsLabel from '@salesforce/label/c.Resident_ReportScheduler_OpEquals';
import opNotEqualsLabel from '@salesforce/label/c.Resident_ReportScheduler_OpNotEquals';
import opLessThanLabel from '@salesforce/label/c.Resident_ReportScheduler_OpLessThan';
import opGreaterThanLabel from '@salesforce/label/c.Resident_ReportScheduler_OpGreaterThan';
import opLessOrEqualLabel from '@salesforce/label/c.Resident_ReportScheduler_OpLessOrEqual';
import opGreaterOrEqualLabel from '@salesforce/label/c.Resident_ReportScheduler_OpGreaterOrEqual';
import opContainsLabel from '@salesforce/label/c.Resident_ReportScheduler_OpContains';
import opStartsWithLabel from '@salesforce/label/c.Resident_ReportScheduler_OpStartsWith';
import opInLabel from '@salesforce/label/c.Resident_ReportScheduler_OpIn';
import opIsNullLabel from '@salesforce/label/c.Resident_ReportScheduler_OpIsNull';
import opIsNotNullLabel from '@salesforce/label/c.Resident_ReportScheduler_OpIsNotNull';

/**
 * A filter row as the user edits it: a c/reportSchedule QueryFilter with a key for the list, and
 * the problem found in it (shown beside it). A value the user typed is the text as typed (`in`
 * takes a comma-separated list); a value loaded from a saved definition stays as it was (a number,
 * a boolean, a list) until the user changes it.
 */
export type EditableFilter = QueryFilter & { key: string; problem?: string };

let nextKey = 0;

function newKey(): string {
    nextKey += 1;
    return `qf${nextKey}`;
}

/** Rows for the filters of a saved definition. */
export function editableFilters(
    filters: readonly QueryFilter[] | null | undefined
): EditableFilter[] {
    return (filters ?? []).map((f) => ({ ...f, key: newKey() }));
}

/**
 * A row as the query definition holds it: no value where none is compared, and `in` as a list
 * (its text split at commas, blanks dropped).
 */
export function toQueryFilter(row: EditableFilter): QueryFilter {
    const { field, operator, value } = row;
    if (operator === 'isNull' || operator === 'isNotNull') return { field, operator };
    if (operator === 'in' && typeof value === 'string') {
        return {
            field,
            operator,
            value: value
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean)
        };
    }
    return { field, operator, value };
}

function valueText(value: QueryFilter['value']): string {
    return Array.isArray(value) ? value.join(', ') : String(value ?? '');
}

/**
 * The filter rows of a query built with pickers: a field (from `fieldOptions`), an operator and a
 * value per row, a Remove button each and Add filter up to the query's limit
 * (SCHEDULE_LIMITS.filtersPerQuery). The parent owns the rows: every edit fires `change` with
 * all of them (`detail.filters`) and the parent passes them back in. Until it does, the editor
 * builds on its own latest rows, so two edits in a row never undo each other.
 */
export default class QueryFilterEditor extends LightningElement {
    @api fieldOptions: { label: string; value: string }[] = [];
    @api disabled = false;

    private current: EditableFilter[] = [];

    @api
    get filters(): EditableFilter[] {
        return this.current;
    }
    set filters(value: EditableFilter[] | null | undefined) {
        this.current = [...(value ?? [])];
    }

    labels = {
        addFilter: addFilterLabel,
        removeFilter: removeFilterLabel,
        filterField: filterFieldLabel,
        filterOperator: filterOperatorLabel,
        filterValue: filterValueLabel
    };

    operatorOptions: { label: string; value: FilterOperator }[] = [
        { label: opEqualsLabel, value: 'equals' },
        { label: opNotEqualsLabel, value: 'notEquals' },
        { label: opLessThanLabel, value: 'lessThan' },
        { label: opGreaterThanLabel, value: 'greaterThan' },
        { label: opLessOrEqualLabel, value: 'lessOrEqual' },
        { label: opGreaterOrEqualLabel, value: 'greaterOrEqual' },
        { label: opContainsLabel, value: 'contains' },
        { label: opStartsWithLabel, value: 'startsWith' },
        { label: opInLabel, value: 'in' },
        { label: opIsNullLabel, value: 'isNull' },
        { label: opIsNotNullLabel, value: 'isNotNull' }
    ];

    get rows() {
        return this.current.map((f) => ({
            ...f,
            valueText: valueText(f.value),
            needsValue: f.operator !== 'isNull' && f.operator !== 'isNotNull'
        }));
    }

    get addDisabled(): boolean {
        return this.disabled || this.current.length >= SCHEDULE_LIMITS.filtersPerQuery;
    }

    private emit(filters: EditableFilter[]): void {
        this.current = filters;
        this.dispatchEvent(new CustomEvent('change', { detail: { filters } }));
    }

    handleAdd(): void {
        if (this.addDisabled) return;
        this.emit([...this.current, { key: newKey(), field: '', operator: 'equals', value: '' }]);
    }

    handleRemove(event: Event): void {
        const key = (event.currentTarget as HTMLElement).dataset.key;
        this.emit(this.current.filter((f) => f.key !== key));
    }

    /** A field, operator or value of one row changed: its problem no longer applies. */
    handleRowChange(event: CustomEvent<{ value: string }>): void {
        // The base component's own change event must not reach the parent as ours.
        event.stopPropagation();
        const target = event.currentTarget as HTMLElement;
        const key = target.dataset.key;
        const part = target.dataset.part as 'field' | 'operator' | 'value';
        this.emit(
            this.current.map((f) => {
                if (f.key !== key) return f;
                return { ...f, [part]: event.detail.value ?? '', problem: undefined };
            })
        );
    }
}
