Hello <?cs var:Mail.to_name ?>,

You asked us to erase the data we hold about you. Open this link to confirm:

<?cs var:Mail.link ?>

Nothing is erased until you press the button on that page. The link works
for one day. If you did not ask for this, ignore this email.
<?cs include:"mail/footer.txt.cs" ?>
