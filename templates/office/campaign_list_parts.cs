<?cs # campaign_list_parts.cs: what the candidate list shows of campaigns: the
     unread notices on the home page, and enrolling everyone the filter matches. ?>
<?cs def:home_notices() ?><?cs if:subcount(Page.notices) ?>
<section class="notice" aria-labelledby="home-notices-title">
  <h2 id="home-notices-title">Unread notices (<?cs var:Page.notices_unread ?>)</h2>
  <ul><?cs each:n = Page.notices ?>
    <li><?cs var:n.text ?> <span class="aside"><?cs var:n.when ?></span><?cs if:n.cand ?> · <a href="/office/candidate?id=<?cs var:url_escape(n.cand) ?>">their profile</a><?cs /if ?></li><?cs /each ?>
  </ul>
  <p><a href="/office/notices">All notices</a></p>
</section><?cs /if ?><?cs /def ?>
<?cs def:enrol_filter_form() ?><?cs if:subcount(Page.enrol_camps) || Form.camp.error ?>
<form method="post" action="/office/campaign/enrol-filter" class="enrol-filter" novalidate>
  <h2>Enrol everyone who matches in a campaign</h2>
  <p class="hint">All <?cs var:Page.bulk.total ?> that match the filter, in the background. Those who may not get campaign mail (no confirmed consent, paused, do-not-contact) are left out.</p><?cs call:csrf_field() ?><?cs each:h = Page.hidden ?>
  <input type="hidden" name="<?cs var:h.name ?>" value="<?cs var:h.value ?>"><?cs /each ?>
  <div class="field<?cs if:Form.camp.error ?> has-error<?cs /if ?>">
    <label for="camp">Campaign</label>
    <select<?cs call:input_attrs("camp", "") ?> required>
      <option value="">Choose a campaign</option><?cs each:c = Page.enrol_camps ?>
      <option value="<?cs var:c.id ?>"<?cs if:Form.camp.value == c.id ?> selected<?cs /if ?>><?cs var:c.name ?></option><?cs /each ?>
    </select><?cs call:field_error("camp") ?>
  </div>
  <button type="submit">Enrol them</button>
</form><?cs /if ?><?cs /def ?>
