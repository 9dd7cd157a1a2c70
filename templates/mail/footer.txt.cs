<?cs # footer.txt.cs: the end of every plain-text mail ?>
-- 
<?cs var:Site.Name ?> talent community
Your preferences (what we send, how often, pause): <?cs var:Mail.prefs_url ?>
Unsubscribe: <?cs var:Mail.unsubscribe_url ?>
