<?cs include:"macros.cs" ?><?cs include:"office/campaign_macros.cs" ?><?cs set:Page.title = "Preview" ?><?cs set:Page.area = "office" ?>
<?cs # campaign_preview.cs: a step's mail made with a real candidate's data; the
     HTML part in a sandboxed frame (no scripts, no same origin), its source below. ?>
<?cs def:content() ?>
<p><a href="/office/campaigns">All campaigns</a></p>
<h1>Preview: <?cs var:Page.camp.name ?></h1>
<?cs call:camp_tabs("preview") ?><?cs
if:Page.done == "test" ?>
<p class="notice" role="status">A test of this mail is on its way to you, <?cs var:User.email ?>, with “[Test]” before its subject. It has no tracking and does not count in the results.</p><?cs /if ?>
<?cs call:error_summary() ?><?cs
if:Page.no_mail ?>
<p>This campaign has no email step yet: <a href="/office/campaign?id=<?cs var:url_escape(Page.camp.id) ?>#steps">add one</a>, then preview it here.</p><?cs
else ?>
<form method="get" action="/office/campaign/preview" class="filters" role="search">
  <input type="hidden" name="id" value="<?cs var:Page.camp.id ?>">
  <div class="field">
    <label for="step">Email step</label>
    <select id="step" name="step"><?cs each:s = Page.mail_steps ?>
      <option value="<?cs var:s.index ?>"<?cs if:s.selected ?> selected<?cs /if ?>>Step <?cs var:s.number ?>: <?cs var:s.subject ?></option><?cs /each ?>
    </select>
  </div><?cs
  if:subcount(Page.variant_choices) > 1 ?>
  <div class="field">
    <label for="variant">Variant</label>
    <select id="variant" name="variant"><?cs each:v = Page.variant_choices ?>
      <option value="<?cs var:v.index ?>"<?cs if:v.selected ?> selected<?cs /if ?>>Variant <?cs var:v.letter ?></option><?cs /each ?>
    </select>
  </div><?cs /if ?>
  <div class="field<?cs if:Form.q.error ?> has-error<?cs /if ?>">
    <label for="q">Find a candidate</label><?cs call:hint("q", "A name, an email or any words, as in the candidate list's search.") ?>
    <input type="search"<?cs call:input_attrs("q", "1") ?> maxlength="300" value="<?cs var:Form.q.value ?>"><?cs call:field_error("q") ?>
  </div>
  <div class="field<?cs if:Form.cand.error ?> has-error<?cs /if ?>">
    <label for="cand">Or their number <span class="optional">(optional)</span></label>
    <input type="text" inputmode="numeric"<?cs call:input_attrs("cand", "") ?> autocomplete="off" maxlength="10" value="<?cs var:Form.cand.value ?>"><?cs call:field_error("cand") ?>
  </div>
  <button type="submit">Show the preview</button>
</form><?cs
if:Page.searched ?>
<h2 id="found">Candidates found</h2><?cs
  if:!subcount(Page.found) ?>
<p>No one matches. Try other words.</p><?cs
  else ?>
<ul class="found"><?cs each:f = Page.found ?>
  <li><a href="/office/campaign/preview?id=<?cs var:url_escape(Page.camp.id) ?>&amp;step=<?cs var:url_escape(Page.step) ?>&amp;variant=<?cs var:url_escape(Page.variant) ?>&amp;cand=<?cs var:url_escape(f.id) ?>">Preview for <?cs var:f.name ?></a> <span class="aside"><?cs var:f.email ?></span></li><?cs /each ?>
</ul><?cs /if ?><?cs /if ?><?cs
if:Page.cand.id ?>
<h2 id="mail">Step <?cs var:Page.step_number ?><?cs if:subcount(Page.variant_choices) > 1 ?>, variant <?cs var:Page.variant_letter ?><?cs /if ?>, for <?cs var:Page.cand.name ?></h2><?cs
  if:Page.render_error ?>
<div class="error-summary" role="alert" aria-labelledby="render-title">
  <h3 id="render-title">This mail cannot be made</h3>
  <p><?cs var:Page.render_error ?></p>
  <p><a href="/office/campaign/step?id=<?cs var:url_escape(Page.camp.id) ?>&amp;step=<?cs var:url_escape(Page.step) ?>">Correct the step</a>.</p>
</div><?cs
  else ?>
<dl class="facts">
  <dt>To</dt><dd><?cs var:Page.cand.email ?></dd>
  <dt>Subject</dt><dd id="preview-subject"><?cs var:Page.mail.subject ?></dd>
</dl>
<h3>Text part</h3>
<pre class="eml" id="preview-text"><?cs var:Page.mail.text ?></pre>
<h3>HTML part</h3>
<iframe class="mail-preview" title="The HTML part of the mail" sandbox="" srcdoc="<?cs var:Page.mail.html ?>"></iframe>
<details>
  <summary>The HTML source</summary>
  <pre class="eml" id="preview-html"><?cs var:Page.mail.html ?></pre>
</details>
<form method="post" action="/office/campaign/test"><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.camp.id ?>">
  <input type="hidden" name="step" value="<?cs var:Page.step ?>">
  <input type="hidden" name="variant" value="<?cs var:Page.variant ?>">
  <input type="hidden" name="cand" value="<?cs var:Page.cand.id ?>">
  <button type="submit">Send a test to me</button>
  <p class="hint">It goes to <?cs var:User.email ?>, filled with <?cs var:Page.cand.name ?>'s data.</p>
</form><?cs
  /if ?><?cs
/if ?><?cs
/if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
