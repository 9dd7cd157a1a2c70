<?cs # campaign_foot.html.cs: the end of a campaign mail: the footer of every
     mail (templates/mail/layout.html.cs) and, when the person allowed it, the
     open pixel. ?>
<hr style="border:0;border-top:1px solid #d8dde4;margin:2rem 0 1rem">
<p style="color:#5a6473;font-size:14px"><?cs var:Site.Name ?> talent community ·
<a href="<?cs var:Mail.prefs_url ?>" style="color:#b4441c">Your preferences</a> ·
<a href="<?cs var:Mail.unsubscribe_url ?>" style="color:#b4441c">Unsubscribe</a></p><?cs
if:Mail.pixel_url ?>
<img src="<?cs var:Mail.pixel_url ?>" width="1" height="1" alt="" style="display:block;border:0"><?cs /if ?>
</div>
</body>
</html>
