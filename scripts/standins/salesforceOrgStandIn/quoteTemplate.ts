// The stand-in org's sample document template: a quote for an Account, with a logo, the open
// opportunities as a table with totals, a section only key accounts get, and page numbers. It is
// also the reference example of the template language (docs in c/documentMerge's README).

export const QUOTE_TEMPLATE = {
    name: 'Quote',
    baseObject: 'Account',
    header: `<p align="right" size="8">Quote for {{Name}}</p>`,
    body: `<p align="right">{{image "StaticResource:Resident_SampleLogo" width=120 alt="Company logo"}}</p>
<h1>Quote for {{Name}}</h1>
<p>Prepared by <b>{{Owner.Name}}</b> for {{Name}}, {{BillingCity | default "—"}}, {{BillingCountry | default "—"}}.</p>
<p>Industry: {{Industry | default "—"}} · Annual revenue: {{AnnualRevenue | currency | default "not disclosed"}}</p>

<h2>Open opportunities</h2>
<table border="horizontal">
<tr><th width="45%">Opportunity</th><th>Stage</th><th>Close date</th><th align="right">Amount</th></tr>
{{#each Opportunities sort="CloseDate asc" where="StageName != 'Closed Lost' and StageName != 'Closed Won'" limit=50}}
<tr><td>{{Name}}</td><td>{{StageName}}</td><td>{{CloseDate | date}}</td><td align="right">{{Amount | currency | default "—"}}</td></tr>
{{/each}}
<tfoot><tr><td>{{#count}} opportunities</td><td></td><td></td><td align="right">{{#total Amount | currency}}</td></tr></tfoot>
</table>

{{#if AnnualRevenue > 100000000}}
<h2>Key account terms</h2>
<p>As a key account, {{Name}} receives <b>priority support</b> and a dedicated success manager.</p>
{{else}}
<p><i>Standard terms apply.</i></p>
{{/if}}

<h3>Terms</h3>
<ul><li>Prices are valid for 30 days.</li><li>Payment within 30 days of invoice.</li></ul>
<p>Questions? Write to <a href="mailto:sales@example.com">sales@example.com</a>.</p>`,
    footer: `<p align="center" size="8">{{Name}} · Page {{pageNumber}} of {{pageCount}}</p>`
};
