<?cs # campaign_macros.cs: words for a campaign's states, steps and reasons (after macros.cs). ?>
<?cs def:camp_state(s) ?><?cs
  if:s == "draft" ?>Draft<?cs elif:s == "active" ?>Running<?cs elif:s == "paused" ?>Paused<?cs
  elif:s == "archived" ?>Archived<?cs else ?><?cs var:s ?><?cs /if ?><?cs /def ?>
<?cs def:step_type(t) ?><?cs
  if:t == "email" ?>Send an email<?cs elif:t == "wait" ?>Wait<?cs elif:t == "branch" ?>Branch<?cs
  elif:t == "pool_add" ?>Add to a pool<?cs elif:t == "pool_remove" ?>Remove from a pool<?cs
  elif:t == "notify" ?>Notify the owner<?cs elif:t == "exit" ?>Exit<?cs else ?><?cs var:t ?><?cs /if ?><?cs /def ?>
<?cs def:branch_on(o) ?><?cs
  if:o == "clicked" ?>they clicked a link since the last email<?cs elif:o == "replied" ?>they replied since the last email<?cs
  elif:o == "nothing" ?>they did nothing since the last email<?cs elif:o == "hot" ?>their engagement is hot<?cs
  elif:o == "warm" ?>their engagement is warm<?cs elif:o == "cold" ?>their engagement is cold<?cs else ?><?cs var:o ?><?cs /if ?><?cs /def ?>
<?cs def:goal_words(g) ?><?cs
  if:g == "replied" ?>They reply<?cs elif:g == "applied" ?>They apply<?cs elif:g == "status_changed" ?>Their status changes<?cs
  else ?>None<?cs /if ?><?cs /def ?>
<?cs def:enrol_state(s) ?><?cs
  if:s == "active" ?>In the sequence<?cs elif:s == "done" ?>Finished<?cs elif:s == "stopped" ?>Stopped<?cs else ?><?cs var:s ?><?cs /if ?><?cs /def ?>
<?cs def:why_words(w) ?><?cs
  if:w == "goal:replied" ?>reached the goal: replied<?cs elif:w == "goal:applied" ?>reached the goal: applied<?cs
  elif:w == "goal:status_changed" ?>reached the goal: status changed<?cs
  elif:w == "exit" ?>an exit step<?cs elif:w == "end" ?>came to the end<?cs elif:w == "left_pool" ?>left the audience pools<?cs
  elif:w == "withdrawn" ?>withdrew consent<?cs elif:w == "unsubscribed" ?>unsubscribed<?cs elif:w == "paused" ?>paused mail<?cs
  elif:w == "do_not_contact" ?>marked do-not-contact<?cs elif:w == "bounced" ?>their address bounced<?cs
  elif:w == "erased" ?>erased<?cs elif:w == "by_hand" ?>taken out by hand<?cs elif:w == "campaign_archived" ?>the campaign was archived<?cs
  else ?><?cs var:w ?><?cs /if ?><?cs /def ?>
<?cs # The sub-pages of a campaign, the current one marked. ?>
<?cs def:camp_tabs(here) ?>
<nav class="tabs" aria-label="This campaign"><ul>
  <li><a href="/office/campaign?id=<?cs var:url_escape(Page.camp.id) ?>"<?cs if:here == "edit" ?> aria-current="page"<?cs /if ?>>Editor</a></li>
  <li><a href="/office/campaign/preview?id=<?cs var:url_escape(Page.camp.id) ?>"<?cs if:here == "preview" ?> aria-current="page"<?cs /if ?>>Preview and test</a></li>
  <li><a href="/office/campaign/stats?id=<?cs var:url_escape(Page.camp.id) ?>"<?cs if:here == "stats" ?> aria-current="page"<?cs /if ?>>Results</a></li>
  <li><a href="/office/campaign/members?id=<?cs var:url_escape(Page.camp.id) ?>"<?cs if:here == "members" ?> aria-current="page"<?cs /if ?>>People</a></li>
</ul></nav><?cs /def ?>
