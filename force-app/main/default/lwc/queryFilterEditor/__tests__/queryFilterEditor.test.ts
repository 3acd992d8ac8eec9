import { createElement } from 'lwc';
import QueryFilterEditor, { editableFilters, toQueryFilter } from 'c/queryFilterEditor';
import type { EditableFilter } from 'c/queryFilterEditor';
import { SCHEDULE_LIMITS } from 'c/reportSchedule';

type Field = HTMLElement & { value?: unknown; options?: unknown; disabled?: boolean };

const FIELDS = [
    { label: 'Account Name', value: 'Name' },
    { label: 'Annual Revenue', value: 'AnnualRevenue' }
];

function mount(props: Record<string, unknown>): {
    element: HTMLElement;
    changes: EditableFilter[][];
} {
    const element = createElement('c-query-filter-editor', { is: QueryFilterEditor });
    Object.assign(element, { fieldOptions: FIELDS, ...props });
    const changes: EditableFilter[][] = [];
    element.addEventListener('change', (event) => {
        const filters = (event as CustomEvent<{ filters: EditableFilter[] }>).detail.filters;
        changes.push(filters);
        // The parent passes the rows back, as both screens do: on its next render, not at once.
        void Promise.resolve().then(() => {
            (element as unknown as { filters: EditableFilter[] }).filters = filters;
        });
    });
    document.body.appendChild(element);
    return { element, changes };
}

const rows = (element: HTMLElement) => [
    ...element.shadowRoot!.querySelectorAll<HTMLElement>('[data-id="filter"]')
];
const part = (row: HTMLElement, name: string) => row.querySelector<Field>(`[data-part="${name}"]`);
const addButton = (element: HTMLElement) =>
    element.shadowRoot!.querySelector<Field>('[data-id="add-filter"]')!;

function edit(row: HTMLElement, name: string, value: string): void {
    part(row, name)!.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

async function flushPromises(): Promise<void> {
    for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('c-query-filter-editor', () => {
    it('shows each filter with its field, operator, value and problem, and no value where none is compared', async () => {
        const { element } = mount({
            filters: [
                ...editableFilters([{ field: 'Name', operator: 'in', value: ['Acme', 'Globex'] }]),
                { key: 'k2', field: 'AnnualRevenue', operator: 'isNull', problem: 'Filter 2: no.' }
            ]
        });
        await flushPromises();
        const [first, second] = rows(element);
        expect(part(first!, 'field')!.value).toBe('Name');
        expect(part(first!, 'field')!.options).toEqual(FIELDS);
        expect(part(first!, 'operator')!.value).toBe('in');
        expect(part(first!, 'value')!.value).toBe('Acme, Globex');
        expect(first!.querySelector('[data-id="filter-problem"]')).toBeNull();
        expect(part(second!, 'value')).toBeNull();
        expect(second!.querySelector('[data-id="filter-problem"]')!.textContent!.trim()).toBe(
            'Filter 2: no.'
        );
        await expect(element).toBeAccessible();
    });

    it('adds an empty filter, up to the query’s limit', async () => {
        const { element, changes } = mount({ filters: [] });
        await flushPromises();
        addButton(element).click();
        await flushPromises();
        expect(changes).toHaveLength(1);
        expect(changes[0]).toEqual([
            { key: expect.any(String), field: '', operator: 'equals', value: '' }
        ]);
        expect(rows(element)).toHaveLength(1);
        expect(addButton(element).disabled).toBe(false);

        const full = mount({
            filters: editableFilters(
                Array.from({ length: SCHEDULE_LIMITS.filtersPerQuery }, () => ({
                    field: 'Name',
                    operator: 'isNotNull' as const
                }))
            )
        });
        await flushPromises();
        expect(addButton(full.element).disabled).toBe(true);
        addButton(full.element).click();
        expect(full.changes).toHaveLength(0);
    });

    it('changes one filter at a time, clearing only its problem, and never loses an edit made before the parent answered', async () => {
        const { element, changes } = mount({
            filters: [
                { key: 'a', field: '', operator: 'equals', value: '', problem: 'Filter 1: empty.' },
                { key: 'b', field: 'Name', operator: 'equals', value: 'x', problem: 'kept' }
            ]
        });
        await flushPromises();
        const [first] = rows(element);
        // Two edits in the same turn: the second builds on the first.
        edit(first!, 'field', 'AnnualRevenue');
        edit(first!, 'operator', 'greaterThan');
        await flushPromises();
        edit(rows(element)[0]!, 'value', '100000');
        await flushPromises();
        expect(changes.at(-1)).toEqual([
            {
                key: 'a',
                field: 'AnnualRevenue',
                operator: 'greaterThan',
                value: '100000',
                problem: undefined
            },
            { key: 'b', field: 'Name', operator: 'equals', value: 'x', problem: 'kept' }
        ]);
        expect(rows(element)[0]!.querySelector('[data-id="filter-problem"]')).toBeNull();
    });

    it('removes the filter whose button was pressed', async () => {
        const { element, changes } = mount({
            filters: editableFilters([
                { field: 'Name', operator: 'equals', value: 'Acme' },
                { field: 'AnnualRevenue', operator: 'greaterThan', value: 5 }
            ])
        });
        await flushPromises();
        rows(element)[0]!.querySelector<HTMLElement>('lightning-button-icon')!.click();
        await flushPromises();
        expect(changes[0]!.map(toQueryFilter)).toEqual([
            { field: 'AnnualRevenue', operator: 'greaterThan', value: 5 }
        ]);
        expect(rows(element)).toHaveLength(1);
    });

    it('offers no change while disabled (a batch is running)', async () => {
        const { element } = mount({
            disabled: true,
            filters: editableFilters([{ field: 'Name', operator: 'equals', value: 'Acme' }])
        });
        await flushPromises();
        const [row] = rows(element);
        expect(part(row!, 'field')!.disabled).toBe(true);
        expect(part(row!, 'operator')!.disabled).toBe(true);
        expect(part(row!, 'value')!.disabled).toBe(true);
        expect(addButton(element).disabled).toBe(true);
        await expect(element).toBeAccessible();
    });

    describe('toQueryFilter', () => {
        it('splits a typed list for "is one of", dropping blanks', () => {
            expect(
                toQueryFilter({ key: 'k', field: 'Name', operator: 'in', value: ' Acme, ,Globex ' })
            ).toEqual({ field: 'Name', operator: 'in', value: ['Acme', 'Globex'] });
        });

        it('sends no value where none is compared', () => {
            expect(
                toQueryFilter({ key: 'k', field: 'Name', operator: 'isNull', value: 'left over' })
            ).toEqual({ field: 'Name', operator: 'isNull' });
        });

        it('keeps a value loaded from a saved definition as it was, and leaves out key and problem', () => {
            expect(
                toQueryFilter({
                    key: 'k',
                    field: 'IsActive__c',
                    operator: 'equals',
                    value: true,
                    problem: 'old'
                })
            ).toEqual({ field: 'IsActive__c', operator: 'equals', value: true });
            expect(
                toQueryFilter({ key: 'k', field: 'Name', operator: 'in', value: ['A', 'B'] })
            ).toEqual({ field: 'Name', operator: 'in', value: ['A', 'B'] });
        });
    });
});
