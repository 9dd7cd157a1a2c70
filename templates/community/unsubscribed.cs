<?cs include:"macros.cs" ?><?cs set:Page.title = "You have unsubscribed" ?>
<?cs def:content() ?>
<h1>You have unsubscribed</h1>
<p class="lead">We will not send you any more emails about roles or news. Only what you ask for yourself, such as a copy of your data, still reaches you.</p><?cs
if:Page.prefs_t ?>
<p>Changed your mind, or want your data or its erasure? <a href="/preferences?t=<?cs var:url_escape(Page.prefs_t) ?>">Go to your preferences</a>.</p><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
