<?cs include:"macros.cs" ?><?cs set:Page.title = "Notices" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>Notices</h1>
<p class="lead"><?cs if:Page.unread ?><?cs var:Page.unread ?> unread<?cs else ?>Nothing unread<?cs /if ?>. Replies to campaign mail, campaign steps that ask to tell you, and new people who fit your open roles come here.</p><?cs
if:Page.unread ?>
<form method="post" action="/office/notices/read"><?cs call:csrf_field() ?>
  <input type="hidden" name="all" value="1">
  <button type="submit" class="secondary">Mark all as read</button>
</form><?cs /if ?><?cs
if:Page.total == 0 ?>
<p>No notices yet.</p><?cs
else ?>
<ol class="notices"><?cs each:n = Page.notices ?>
  <li<?cs if:n.unread ?> class="unread"<?cs /if ?>><p><?cs if:n.unread ?><span class="badge">new</span> <?cs /if ?><?cs var:n.text ?></p>
    <p class="aside"><?cs var:n.when ?><?cs if:n.cand ?> · <a href="/office/candidate?id=<?cs var:url_escape(n.cand) ?>">their profile</a><?cs /if ?><?cs if:n.camp ?> · <a href="/office/campaign?id=<?cs var:url_escape(n.camp) ?>">the campaign</a><?cs /if ?><?cs if:n.role ?> · <a href="/office/role/matches?id=<?cs var:url_escape(n.role) ?><?cs if:n.cand ?>#cand-<?cs var:url_escape(n.cand) ?><?cs /if ?>">the role's ranking</a><?cs /if ?></p><?cs
    if:n.unread ?>
    <form method="post" action="/office/notices/read" class="inline"><?cs call:csrf_field() ?>
      <input type="hidden" name="id" value="<?cs var:n.id ?>">
      <button type="submit" class="link">Mark as read</button>
    </form><?cs /if ?>
  </li><?cs /each ?>
</ol><?cs
if:Page.pages > 1 ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/notices?page=<?cs var:url_escape(Page.prev) ?>">Newer</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/notices?page=<?cs var:url_escape(Page.next) ?>">Older</a><?cs /if ?>
</nav><?cs /if ?><?cs
/if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
