package handlers

// Requests shaped like the ones real blog editors send, with %s verbs for
// what a test fills in (ids, passwords, text).

// marsEditNewPost is metaWeblog.newPost as MarsEdit sends it: compact,
// explicit types, blog id as a string, categories and keywords, a date
// without a zone, TrackBack URLs to ping, and the publish flag.
const marsEditNewPost = `<?xml version="1.0" encoding="UTF-8"?>
<methodCall><methodName>metaWeblog.newPost</methodName><params><param><value><string>1</string></value></param><param><value><string>%s</string></value></param><param><value><string>%s</string></value></param><param><value><struct><member><name>title</name><value><string>Hello &lt;World&gt;</string></value></member><member><name>description</name><value><string>&lt;p&gt;Body &amp; &lt;em&gt;more&lt;/em&gt;&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</string></value></member><member><name>mt_text_more</name><value><string>&lt;p&gt;The rest.&lt;/p&gt;</string></value></member><member><name>mt_excerpt</name><value><string>A short summary</string></value></member><member><name>mt_keywords</name><value><string>go, xml-rpc</string></value></member><member><name>categories</name><value><array><data><value><string>Go</string></value><value><string>Blogging</string></value></data></array></value></member><member><name>dateCreated</name><value><dateTime.iso8601>20261129T10:20:30</dateTime.iso8601></value></member><member><name>mt_allow_comments</name><value><int>1</int></value></member><member><name>mt_allow_pings</name><value><int>0</int></value></member><member><name>mt_tb_ping_urls</name><value><array><data><value><string>http://example.org/trackback/7</string></value><value><string>https://other.example/tb/9</string></value></data></array></value></member><member><name>wp_slug</name><value><string>hello-world</string></value></member><member><name>post_status</name><value><string>publish</string></value></member></struct></value></param><param><value><boolean>1</boolean></value></param></params></methodCall>`

// marsEditGetPost is metaWeblog.getPost (post id, user, password).
const marsEditGetPost = `<?xml version="1.0" encoding="UTF-8"?>
<methodCall><methodName>metaWeblog.getPost</methodName><params><param><value><string>%s</string></value></param><param><value><string>%s</string></value></param><param><value><string>%s</string></value></param></params></methodCall>`

// openLiveWriterEditPost is metaWeblog.editPost as Open Live Writer (.NET)
// sends it: a byte order mark, indentation, untyped strings, <i4>, CDATA,
// an empty value and an empty array.
const openLiveWriterEditPost = "\ufeff" + `<?xml version="1.0" encoding="utf-8"?>
<methodCall>
  <methodName>metaWeblog.editPost</methodName>
  <params>
    <param>
      <value>%s</value>
    </param>
    <param>
      <value>
        <string>%s</string>
      </value>
    </param>
    <param>
      <value>
        <string>%s</string>
      </value>
    </param>
    <param>
      <value>
        <struct>
          <member>
            <name>title</name>
            <value>Edited in Writer</value>
          </member>
          <member>
            <name>description</name>
            <value><![CDATA[<p>New body with <strong>bold</strong> & an ampersand</p>]]></value>
          </member>
          <member>
            <name>mt_text_more</name>
            <value></value>
          </member>
          <member>
            <name>categories</name>
            <value>
              <array>
                <data>
                  <value>
                    <string>Writer</string>
                  </value>
                </data>
              </array>
            </value>
          </member>
          <member>
            <name>mt_keywords</name>
            <value>
              <string></string>
            </value>
          </member>
          <member>
            <name>mt_tb_ping_urls</name>
            <value>
              <array>
                <data />
              </array>
            </value>
          </member>
          <member>
            <name>mt_allow_comments</name>
            <value>
              <i4>2</i4>
            </value>
          </member>
        </struct>
      </value>
    </param>
    <param>
      <value>
        <boolean>1</boolean>
      </value>
    </param>
  </params>
</methodCall>
`

// wordPressIOSNewPost is a post from the WordPress iOS app: blog id as
// <int>, date_created_gmt with a Z, WordPress's status names and flags.
const wordPressIOSNewPost = `<?xml version="1.0"?>
<methodCall><methodName>metaWeblog.newPost</methodName><params>
<param><value><int>1</int></value></param>
<param><value><string>%s</string></value></param>
<param><value><string>%s</string></value></param>
<param><value><struct>
<member><name>title</name><value><string>%s</string></value></member>
<member><name>description</name><value><string>Written on a phone.</string></value></member>
<member><name>post_status</name><value><string>%s</string></value></member>
<member><name>date_created_gmt</name><value><dateTime.iso8601>%s</dateTime.iso8601></value></member>
<member><name>mt_allow_comments</name><value><string>open</string></value></member>
<member><name>mt_allow_pings</name><value><string>closed</string></value></member>
<member><name>wp_post_format</name><value><string>standard</string></value></member>
<member><name>custom_fields</name><value><array><data></data></array></value></member>
<member><name>post_type</name><value><string>%s</string></value></member>
</struct></value></param>
<param><value><boolean>0</boolean></value></param>
</params></methodCall>`

// newMediaObjectCall uploads a file with base64 broken into CRLF lines.
const newMediaObjectCall = `<?xml version="1.0"?>
<methodCall>
<methodName>metaWeblog.newMediaObject</methodName>
<params>
<param><value><string>1</string></value></param>
<param><value><string>%s</string></value></param>
<param><value><string>%s</string></value></param>
<param><value><struct>
<member><name>name</name><value><string>%s</string></value></member>
<member><name>type</name><value><string>image/png</string></value></member>
<member><name>bits</name><value><base64>
%s</base64></value></member>
<member><name>overwrite</name><value><boolean>0</boolean></value></member>
</struct></value></param>
</params>
</methodCall>
`

// wpGetCommentsCall is wp.getComments with a filter struct whose numbers
// come as <int> and untyped text.
const wpGetCommentsCall = `<?xml version="1.0"?>
<methodCall><methodName>wp.getComments</methodName><params>
<param><value><int>1</int></value></param>
<param><value><string>%s</string></value></param>
<param><value><string>%s</string></value></param>
<param><value><struct>
<member><name>post_id</name><value>%s</value></member>
<member><name>status</name><value><string>%s</string></value></member>
<member><name>number</name><value><int>%s</int></value></member>
<member><name>offset</name><value>0</value></member>
</struct></value></param>
</params></methodCall>`

// wpEditCommentCall approves (or otherwise moves) a comment, id as <i4>.
const wpEditCommentCall = `<?xml version="1.0"?>
<methodCall><methodName>wp.editComment</methodName><params>
<param><value><int>1</int></value></param>
<param><value><string>%s</string></value></param>
<param><value><string>%s</string></value></param>
<param><value><i4>%s</i4></value></param>
<param><value><struct><member><name>status</name><value><string>%s</string></value></member></struct></value></param>
</params></methodCall>`
