<?cs # campaign_foot.txt.cs: the end of a campaign mail's plain text ?>
<?cs include:"mail/footer.txt.cs" ?>
