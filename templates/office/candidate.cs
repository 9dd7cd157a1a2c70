<?cs include:"macros.cs" ?><?cs set:Page.title = Page.cand.name ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/candidates">All candidates</a></p>
<h1><?cs var:Page.cand.name ?></h1>
<dl class="facts">
  <dt>Email</dt><dd><?cs var:Page.cand.email ?></dd><?cs
  if:Page.cand.phone ?><dt>Phone</dt><dd><?cs var:Page.cand.phone ?></dd><?cs /if ?>
  <dt>Location</dt><dd><?cs if:Page.cand.city ?><?cs var:Page.cand.city ?>, <?cs var:Page.cand.country ?><?cs /if ?><?cs if:Page.cand.remote ?><?cs if:Page.cand.city ?>; <?cs /if ?>remote<?cs /if ?></dd>
  <dt>Interests</dt><dd><?cs each:i = Page.cand.interests ?><?cs if:!first(i) ?>, <?cs /if ?><?cs if:Site.JobFamilies[i] ?><?cs var:Site.JobFamilies[i] ?><?cs else ?><?cs var:i ?><?cs /if ?><?cs /each ?></dd>
  <dt>Seniority</dt><dd><?cs var:Page.cand.seniority ?></dd>
  <dt>Skills</dt><dd><?cs each:s = Page.cand.skills ?><?cs if:!first(s) ?>, <?cs /if ?><?cs var:s ?><?cs /each ?></dd><?cs
  if:Page.cand.url ?><dt>Profile</dt><dd><?cs var:Page.cand.url ?></dd><?cs /if ?>
<?cs if:Page.cand.resume.name ?>  <dt>CV</dt><dd><?cs var:Page.cand.resume.name ?> (<?cs var:Page.cand.resume.kind ?>, <?cs var:Page.cand.resume.size ?> bytes)</dd>
<?cs /if ?>  <dt>Source</dt><dd><?cs var:Page.cand.source ?></dd>
  <dt>Joined</dt><dd><?cs var:Page.cand.joined_at ?></dd>
  <dt>Consent</dt><dd><?cs var:Page.cand.consent ?></dd>
</dl>
<h2>Consent ledger</h2>
<p>Every change of consent, oldest first. Each entry holds the hash of the one before, so an edited entry shows: <code>hearthctl verify</code> checks them all.</p>
<div class="table-wrap">
<table>
  <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">How</th><th scope="col">Policy</th><th scope="col">From</th></tr></thead>
  <tbody><?cs each:e = Page.ledger ?>
    <tr><td><?cs var:e.when ?></td><td><?cs var:e.type ?></td><td><?cs var:e.method ?></td><td>version <?cs var:e.policy_version ?>, SHA-256 <code><?cs var:e.policy_sha256 ?></code></td><td><?cs var:e.ip ?><br><small><?cs var:e.user_agent ?></small></td></tr><?cs /each ?>
  </tbody>
</table>
</div>
<h2>Mail</h2><?cs if:subcount(Page.mails) == 0 ?>
<p>None yet.</p><?cs else ?>
<div class="table-wrap">
<table>
  <thead><tr><th scope="col">Queued</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Attempts</th></tr></thead>
  <tbody><?cs each:m = Page.mails ?>
    <tr><td><a href="/office/mail/show?id=<?cs var:url_escape(m.id) ?>"><?cs var:m.when ?></a></td><td><?cs var:m.kind ?></td><td><?cs var:m.state ?></td><td><?cs var:m.attempts ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
