<?cs include:"macros.cs" ?><?cs set:Page.title = "Mail" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/mail">All mail</a></p>
<h1>Mail to <?cs var:Page.mail.to ?></h1>
<dl class="facts">
  <dt>Kind</dt><dd><?cs var:Page.mail.kind ?></dd>
  <dt>State</dt><dd><?cs var:Page.mail.state ?></dd>
  <dt>Queued</dt><dd><?cs var:Page.mail.when ?></dd>
  <dt>Attempts</dt><dd><?cs var:Page.mail.attempts ?></dd><?cs
  if:Page.mail.sent_at ?><dt>Sent</dt><dd><?cs var:Page.mail.sent_at ?></dd><?cs /if ?><?cs
  if:Page.mail.cand ?><dt>Candidate</dt><dd><a href="/office/candidate?id=<?cs var:url_escape(Page.mail.cand) ?>">Their page</a></dd><?cs /if ?>
</dl><?cs
if:Page.eml ?>
<h2>The message as written to the outbox</h2>
<pre class="eml"><?cs var:Page.eml ?></pre><?cs
elif:Page.mail.state == "sent" ?>
<p>This mail went to the mail server; its text is not kept.</p><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
