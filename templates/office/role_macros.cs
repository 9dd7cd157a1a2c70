<?cs # role_macros.cs: words for roles, their states, remote policies, pipeline stages and score parts (after macros.cs). ?>
<?cs def:role_status(s) ?><?cs
  if:s == "draft" ?>Draft<?cs elif:s == "open" ?>Open<?cs elif:s == "on_hold" ?>On hold<?cs
  elif:s == "filled" ?>Filled<?cs elif:s == "closed" ?>Closed<?cs else ?><?cs var:s ?><?cs /if ?><?cs /def ?>
<?cs def:remote_words(r) ?><?cs
  if:r == "onsite" ?>On site<?cs elif:r == "hybrid" ?>Hybrid<?cs elif:r == "remote" ?>Remote<?cs else ?><?cs var:r ?><?cs /if ?><?cs /def ?>
<?cs def:part_words(p) ?><?cs
  if:p == "required" ?>Required skills<?cs elif:p == "nice" ?>Nice-to-have skills<?cs
  elif:p == "seniority" ?>Seniority<?cs elif:p == "location" ?>Location<?cs
  elif:p == "interest" ?>Role interest<?cs elif:p == "engagement" ?>Engagement<?cs
  elif:p == "history" ?>History<?cs elif:p == "freshness" ?>Freshness<?cs else ?><?cs var:p ?><?cs /if ?><?cs /def ?>
<?cs def:stage_words(s) ?><?cs
  if:s == "shortlisted" ?>Shortlisted<?cs elif:s == "contacted" ?>Contacted<?cs
  elif:s == "interested" ?>Interested<?cs elif:s == "applied" ?>Applied<?cs
  elif:s == "interviewing" ?>Interviewing<?cs elif:s == "offer" ?>Offer<?cs
  elif:s == "hired" ?>Hired<?cs elif:s == "declined" ?>Declined<?cs
  elif:s == "withdrawn" ?>Withdrawn<?cs else ?><?cs var:s ?><?cs /if ?><?cs /def ?>
<?cs def:list_words(l) ?><?cs each:x = l ?><?cs if:!first(x) ?>, <?cs /if ?><?cs var:x ?><?cs /each ?><?cs /def ?>
<?cs # The sub-pages of a role, the current one marked; staff see the ranking and the editor. ?>
<?cs def:role_tabs(here) ?>
<nav class="tabs" aria-label="This role"><ul>
  <li><a href="/office/role?id=<?cs var:url_escape(Page.role.id) ?>"<?cs if:here == "role" ?> aria-current="page"<?cs /if ?>>The role</a></li><?cs
  if:!Page.manager ?>
  <li><a href="/office/role/matches?id=<?cs var:url_escape(Page.role.id) ?>"<?cs if:here == "matches" ?> aria-current="page"<?cs /if ?>>Ranking</a></li><?cs /if ?>
  <li><a href="/office/role/pipeline?id=<?cs var:url_escape(Page.role.id) ?>"<?cs if:here == "pipeline" ?> aria-current="page"<?cs /if ?>>Pipeline</a></li><?cs
  if:!Page.manager ?>
  <li><a href="/office/role/edit?id=<?cs var:url_escape(Page.role.id) ?>"<?cs if:here == "edit" ?> aria-current="page"<?cs /if ?>>Edit</a></li><?cs /if ?>
</ul></nav><?cs /def ?>
<?cs # A table of roles (Page.roles); the caption counts them, then says more. ?>
<?cs def:role_table(caption) ?>
<div class="table-wrap">
<table class="roles">
  <caption><?cs var:Page.total ?> role<?cs if:Page.total != 1 ?>s<?cs /if ?><?cs var:caption ?></caption>
  <thead><tr><th scope="col">Title</th><th scope="col">Team</th><th scope="col">Status</th><th scope="col">People in the pipeline</th><th scope="col">Owner</th><th scope="col">Opened</th></tr></thead>
  <tbody><?cs each:r = Page.roles ?>
    <tr><td><a href="/office/role?id=<?cs var:url_escape(r.id) ?>"><?cs var:r.title ?></a></td>
      <td><?cs var:r.team ?></td><td><?cs call:role_status(r.status) ?></td>
      <td><?cs if:r.pipeline ?><?cs var:r.pipeline ?><?cs else ?>0<?cs /if ?></td>
      <td><?cs var:r.owner_name ?></td><td><?cs if:r.opened_at ?><?cs var:r.opened_at ?><?cs else ?><span class="aside">not yet</span><?cs /if ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs /def ?>
